import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListUsersQuery {
  @ApiPropertyOptional({ maxLength: 2048, description: 'A SCIM filter, e.g. `username sw "a" and enabled eq true` (docs/api.md).' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  filter?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1, { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } })
  @Max(1000, { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } })
  limit?: number;

  @ApiPropertyOptional({ maxLength: 512, description: 'Where the page starts: taken from `_links.next` of the page before.' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class EnabledBodyDto {
  @ApiProperty() @IsBoolean() enabled!: boolean;
}

export class LockBodyDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the lock ends by itself; in the future. Absent: until an administrator unlocks.',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'unlockAt must be an ISO 8601 date-time' })
  unlockAt?: string;
}
