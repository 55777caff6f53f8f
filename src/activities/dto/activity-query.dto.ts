import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { EnvironmentParams } from '../../common/params/path-params.js';

const LIMIT = { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } };

/** `GET .../activities` query, and the body of `POST .../activities` (JSON or form-encoded). */
export class ActivityQuery {
  @IsOptional() @IsString() @MaxLength(2048) filter?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1, LIMIT) @Max(1000, LIMIT) limit?: number;
  @IsOptional() @IsString() @MaxLength(8192) cursor?: string;
}

export class ActivityParams extends EnvironmentParams {
  activityId!: string;
}
