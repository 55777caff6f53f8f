import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';
import { EVENT_CATALOG } from '../../events/index.js';

const ACTION_TYPES = Object.keys(EVENT_CATALOG);

export class ActivityAction {
  @ApiProperty({ enum: ACTION_TYPES }) type!: string;
  @ApiProperty({ description: "PingOne's name of the action, e.g. `User Unlocked`." }) description!: string;
}

export class ActivityClient {
  @ApiProperty({ description: "The caller's id: an application's id, or an external token's subject." }) id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: () => IdReference }) environment?: IdReference;
  @ApiPropertyOptional({ format: 'uri', description: 'The application, when the caller is one of this service.' }) href?: string;
  @ApiProperty({ enum: ['CLIENT'] }) type!: 'CLIENT';
}

export class ActivityActors {
  @ApiPropertyOptional({ type: () => ActivityClient, description: 'Absent when the service itself acted (an expiry).' })
  client?: ActivityClient;
}

export class ActivityResourceRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    enum: [
      'USER',
      'APPLICATION',
      'ROLE_ASSIGNMENT',
      'SUBSCRIPTION',
      'GROUP',
      'MEMBER_OF_GROUP',
      'ENVIRONMENT',
      'POPULATION',
      'PASSWORD_POLICY',
      'MFA_SETTINGS',
    ],
  })
  type!: string;
  @ApiProperty({ format: 'uri' }) href!: string;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiPropertyOptional({ type: () => IdReference, description: "A user's population." }) population?: IdReference;
}

export class ActivityResult {
  @ApiProperty({ enum: ['SUCCESS', 'FAILED'] }) status!: 'SUCCESS' | 'FAILED';
  @ApiProperty() description!: string;
}

/** PingOne's activity: one event of the audit log, as recorded in the transaction of its change. */
export class ActivityResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ format: 'uuid', description: 'Also `webhook-id` and `Nats-Msg-Id` of its deliveries.' }) id!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: "The request's `X-Ping-External-Transaction-ID`, or a generated one." }) correlationId!: string;
  @ApiProperty({ type: () => ActivityAction }) action!: ActivityAction;
  @ApiProperty({ type: () => ActivityActors }) actors!: ActivityActors;
  @ApiProperty({ type: () => [ActivityResourceRef] }) resources!: ActivityResourceRef[];
  @ApiProperty({ type: () => ActivityResult }) result!: ActivityResult;
}

export class ActivityPageLinks extends SelfLinks {
  @ApiPropertyOptional({ type: () => HalLink, description: 'The next page: a GET that needs nothing but its own query.' }) next?: HalLink;
}

export class EmbeddedActivities {
  @ApiProperty({ type: () => [ActivityResponse] }) activities!: ActivityResponse[];
}

export class ActivityPageResponse {
  @ApiProperty({ type: () => ActivityPageLinks }) _links!: ActivityPageLinks;
  @ApiProperty({ type: () => EmbeddedActivities }) _embedded!: EmbeddedActivities;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The activities in this page.' }) size!: number;
}
