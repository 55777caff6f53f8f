import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { EnvironmentParams } from '../../common/params/path-params.js';

const LIMIT = { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } };

/** `GET .../activities` query, and the body of `POST .../activities` (JSON or form-encoded). */
export class ActivityQuery {
  @ApiPropertyOptional({
    maxLength: 2048,
    description:
      'A SCIM filter holding a date range, e.g. `recordedAt gt "2026-11-30T00:00:00Z" and recordedAt lt "2026-12-01T00:00:00Z"` (docs/events.md). Required without a cursor.',
  })
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
  @ApiPropertyOptional({
    maxLength: 8192,
    description: 'Where the page starts: from `_links.next` of the page before (it carries the filter).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  cursor?: string;
}

export class ActivityParams extends EnvironmentParams {
  activityId!: string;
}
