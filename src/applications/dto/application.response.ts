import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';

export class ApplicationLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
  @ApiProperty({ type: () => HalLink, description: 'Where the secret is read and rotated.' }) secret!: HalLink;
  @ApiProperty({ type: () => HalLink }) roleAssignments!: HalLink;
}

/** PingOne's worker application. Never its secret: that is at `_links.secret`, under its own permission. */
export class ApplicationResponse {
  @ApiProperty({ type: () => ApplicationLinks }) _links!: ApplicationLinks;
  @ApiProperty({ format: 'uuid', description: 'Also the client id of the token endpoint.' }) id!: string;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ enum: ['WORKER'] }) type!: 'WORKER';
  @ApiProperty({ enum: ['OPENID_CONNECT'] }) protocol!: 'OPENID_CONNECT';
  @ApiProperty({ enum: ['CLIENT_SECRET_BASIC'] }) tokenEndpointAuthMethod!: 'CLIENT_SECRET_BASIC';
  @ApiProperty({ enum: ['CLIENT_CREDENTIALS'], isArray: true }) grantTypes!: 'CLIENT_CREDENTIALS'[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class EmbeddedApplications {
  @ApiProperty({ type: () => [ApplicationResponse] }) applications!: ApplicationResponse[];
}

export class ApplicationListResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ type: () => EmbeddedApplications }) _embedded!: EmbeddedApplications;
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) size!: number;
}

export class SecretLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) application!: HalLink;
}

export class PreviousSecret {
  @ApiProperty() secret!: string;
  @ApiProperty({ format: 'date-time', description: 'When the previous secret stops working.' }) expiresAt!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When it last authenticated a client.' }) lastUsed?: string;
}

/** PingOne's application secret; `previous` only while the secret before the last rotation still works. */
export class ApplicationSecretResponse {
  @ApiProperty({ type: () => SecretLinks }) _links!: SecretLinks;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty() secret!: string;
  @ApiPropertyOptional({ type: () => PreviousSecret }) previous?: PreviousSecret;
}
