import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { ENVIRONMENT_REGIONS, ENVIRONMENT_TYPES } from './environment.response.js';
import { CursorQuery, FilterQuery, LimitQuery } from '../../common/pagination/page-query.js';

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

export class ListEnvironmentsQuery {
  @FilterQuery('A SCIM filter on `id`, `name` (eq, sw), `license.id`, `type` or `region` (eq).')
  filter?: string;

  @LimitQuery()
  limit?: number;

  @CursorQuery()
  cursor?: string;
}
