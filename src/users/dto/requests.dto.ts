import { Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListUsersQuery {
  @IsOptional() @IsString() @MaxLength(2048) filter?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1, { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } })
  @Max(1000, { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } })
  limit?: number;

  @IsOptional() @IsString() @MaxLength(512) cursor?: string;
}

export class EnabledBodyDto {
  @IsBoolean() enabled!: boolean;
}

export class LockBodyDto {
  @IsOptional() @IsDateString({ strict: true }, { message: 'unlockAt must be an ISO 8601 date-time' }) unlockAt?: string;
}
