import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';
import { EVENT_CATALOG } from '../../events/index.js';

export class SubscriptionLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
  @ApiProperty({ type: () => HalLink, description: 'Its delivery status (this service).' }) deliveryStatus!: HalLink;
  @ApiProperty({ type: () => HalLink, description: 'Where its signing secret is rotated (this service).' }) signingSecret!: HalLink;
}

export class SubscriptionFilterOptions {
  @ApiProperty({ enum: Object.keys(EVENT_CATALOG), isArray: true }) includedActionTypes!: string[];
  @ApiProperty({ type: () => [IdReference] }) includedPopulations!: IdReference[];
  @ApiProperty({ type: () => [IdReference] }) includedApplications!: IdReference[];
  @ApiProperty() ipAddressExposed!: boolean;
  @ApiProperty() userAgentExposed!: boolean;
}

export class SubscriptionEndpoint {
  @ApiProperty({ format: 'uri' }) url!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Sent with every delivery; encrypted at rest.' })
  headers!: Record<string, string>;
}

/** PingOne's subscription (webhook). */
export class SubscriptionResponse {
  @ApiProperty({ type: () => SubscriptionLinks }) _links!: SubscriptionLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty() name!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ enum: ['ACTIVITY'] }) format!: 'ACTIVITY';
  @ApiProperty({ type: () => SubscriptionFilterOptions }) filterOptions!: SubscriptionFilterOptions;
  @ApiProperty({ type: () => SubscriptionEndpoint }) httpEndpoint!: SubscriptionEndpoint;
  @ApiProperty() verifyTlsCertificates!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ description: 'The Standard Webhooks signing secret (`whsec_...`): only in the answer to the create, once.' })
  signingSecret?: string;
}

export class EmbeddedSubscriptions {
  @ApiProperty({ type: () => [SubscriptionResponse] }) subscriptions!: SubscriptionResponse[];
}

export class SubscriptionListResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ type: () => EmbeddedSubscriptions }) _embedded!: EmbeddedSubscriptions;
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) size!: number;
}

export class SubscriptionChildLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) subscription!: HalLink;
}

export class DeliveryBacklog {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Matching events not delivered yet, counted up to 10,000.' }) count!: number;
  @ApiProperty({ description: 'True when the count stopped at its limit: there may be more.' }) atLeast!: boolean;
}

/** The delivery of one subscription, as it stands (this service's own resource). */
export class DeliveryStatusResponse {
  @ApiProperty({ type: () => SubscriptionChildLinks }) _links!: SubscriptionChildLinks;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: () => DeliveryBacklog }) backlog!: DeliveryBacklog;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When the oldest undelivered matching event was recorded.',
  })
  oldestUndeliveredAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastDeliveredAt!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Failed attempts at the current event.' }) failedAttempts!: number;
  @ApiProperty({ type: 'string', nullable: true }) lastError!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastErrorAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
}

export class PreviousSigningSecret {
  @ApiProperty({ format: 'date-time', description: 'Until when the previous secret signs beside the new one.' }) expiresAt!: string;
}

/** A rotated signing secret, shown this once. */
export class SigningSecretResponse {
  @ApiProperty({ type: () => SubscriptionChildLinks }) _links!: SubscriptionChildLinks;
  @ApiProperty({ description: 'The new Standard Webhooks secret (`whsec_...`).' }) signingSecret!: string;
  @ApiProperty({ type: () => PreviousSigningSecret, nullable: true }) previous!: PreviousSigningSecret | null;
}
