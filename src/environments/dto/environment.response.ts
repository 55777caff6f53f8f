import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';

export const ENVIRONMENT_TYPES = ['PRODUCTION', 'SANDBOX'] as const;
/** PingOne's region codes. */
export const ENVIRONMENT_REGIONS = ['AP', 'AU', 'CA', 'EU', 'NA', 'SG'] as const;

/** Links to what the environment holds, each a route this service answers. */
export class EnvironmentLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) populations!: HalLink;
  @ApiProperty({ type: () => HalLink }) users!: HalLink;
  @ApiProperty({ type: () => HalLink }) applications!: HalLink;
  @ApiProperty({ type: () => HalLink }) passwordPolicies!: HalLink;
  @ApiProperty({ type: () => HalLink }) activities!: HalLink;
}

export class EnvironmentResponse {
  @ApiProperty({ type: () => EnvironmentLinks }) _links!: EnvironmentLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: ENVIRONMENT_TYPES }) type!: string;
  @ApiProperty({ enum: ENVIRONMENT_REGIONS }) region!: string;
  @ApiProperty({ type: () => IdReference, description: 'A stable id of the environment’s own; the service has no license catalogue.' })
  license!: IdReference;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class EmbeddedEnvironments {
  @ApiProperty({ type: () => [EnvironmentResponse] }) environments!: EnvironmentResponse[];
}

export class EnvironmentListResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ type: () => EmbeddedEnvironments }) _embedded!: EmbeddedEnvironments;
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) size!: number;
}
