import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';

const range = (min: number, max: number) => ({ context: { code: 'OUT_OF_RANGE', rangeMinimumValue: min, rangeMaximumValue: max } });

export class LockoutDto {
  @IsInt() @Min(1, range(1, 100)) @Max(100, range(1, 100)) failureCount!: number;
  @IsInt() @Min(1, range(1, 31_536_000)) @Max(31_536_000, range(1, 31_536_000)) durationSeconds!: number;
}

export class LengthDto {
  @IsInt() @Min(1, range(1, 255)) @Max(255, range(1, 255)) min!: number;
  @IsInt() @Min(1, range(1, 255)) @Max(255, range(1, 255)) max!: number;
}

export class HistoryDto {
  @IsInt() @Min(1, range(1, 20)) @Max(20, range(1, 20)) count!: number;
  @IsOptional() @IsInt() @Min(1, range(1, 3650)) @Max(3650, range(1, 3650)) retentionDays?: number;
}

/** PingOne's password policy attributes; those left out take the Standard policy's values. */
export class PasswordPolicyDto {
  @IsString() @Length(1, 256) name!: string;
  @IsOptional() @IsString() @MaxLength(1024) description?: string;
  @IsOptional() @IsBoolean() default?: boolean;
  @IsOptional() @ValidateNested() @IsObject() @Type(() => LockoutDto) lockout?: LockoutDto;
  @IsOptional() @ValidateNested() @IsObject() @Type(() => LengthDto) length?: LengthDto;
  @IsOptional() @ValidateNested() @IsObject() @Type(() => HistoryDto) history?: HistoryDto;
  /** Character set → minimum count; checked in the service (class-validator has no map rule). */
  @IsOptional() @IsObject() minCharacters?: Record<string, unknown>;
  @IsOptional() @IsInt() @Min(1, range(1, 255)) @Max(255, range(1, 255)) maxRepeatedCharacters?: number;
  @IsOptional() @IsBoolean() excludesCommonlyUsed?: boolean;
  @IsOptional() @IsBoolean() excludesProfileData?: boolean;
  @IsOptional() @IsInt() @Min(1, range(1, 3650)) @Max(3650, range(1, 3650)) maxAgeDays?: number;
}
