import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { ENVIRONMENT_REGIONS, ENVIRONMENT_TYPES } from './environment.response.js';

const range = (min: number, max: number) => ({ context: { rangeMinimumValue: min, rangeMaximumValue: max } });

/**
 * `PUT /environments/{envID}`: PingOne's body is the whole environment. Name and description
 * change; `type` and `region` may be sent back as read, and must then equal the stored values
 * (this service neither promotes a sandbox nor moves an environment between regions).
 */
export class EnvironmentBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 256 }) @IsString() @Length(1, 256, range(1, 256)) name!: string;
  @ApiPropertyOptional({ maxLength: 1024, nullable: true, description: 'Left out or null: cleared.' })
  @IsOptional()
  @IsString()
  @MaxLength(1024, range(0, 1024))
  description?: string | null;
  @ApiPropertyOptional({ enum: ENVIRONMENT_TYPES, description: 'Read-only here: when sent, it must be the current type.' })
  @ValidateIf((_o, v) => v !== undefined)
  @IsIn(ENVIRONMENT_TYPES, { context: { allowedValues: ENVIRONMENT_TYPES } })
  type?: string;
  @ApiPropertyOptional({ enum: ENVIRONMENT_REGIONS, description: 'Read-only: when sent, it must be the current region.' })
  @ValidateIf((_o, v) => v !== undefined)
  @IsIn(ENVIRONMENT_REGIONS, { context: { allowedValues: ENVIRONMENT_REGIONS } })
  region?: string;
}

const LIMIT = { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } };

export class ListEnvironmentsQuery {
  @ApiPropertyOptional({ maxLength: 2048, description: 'A SCIM filter on `id`, `name` (eq, sw), `license.id`, `type` or `region` (eq).' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  filter?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1, LIMIT)
  @Max(1000, LIMIT)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 512, description: 'Where the page starts: taken from `_links.next` of the page before.' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
