import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';

export class PopulationLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
}

export class PopulationResponse {
  @ApiProperty({ type: () => PopulationLinks }) _links!: PopulationLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty() name!: string;
  @ApiProperty({ description: "Whether this is the environment's default population." }) default!: boolean;
  @ApiPropertyOptional({ type: () => IdReference, description: "The population's own password policy; absent: the environment's default." })
  passwordPolicy?: IdReference;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class EmbeddedPopulations {
  @ApiProperty({ type: () => [PopulationResponse] }) populations!: PopulationResponse[];
}

export class PopulationListResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ type: () => EmbeddedPopulations }) _embedded!: EmbeddedPopulations;
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) size!: number;
}
