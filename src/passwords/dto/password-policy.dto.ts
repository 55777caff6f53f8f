import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';

const range = (min: number, max: number) => ({ context: { code: 'OUT_OF_RANGE', rangeMinimumValue: min, rangeMaximumValue: max } });
const integer = (minimum: number, maximum: number) => ({ type: 'integer' as const, minimum, maximum });

export class LockoutDto {
  @ApiProperty(integer(1, 100)) @IsInt() @Min(1, range(1, 100)) @Max(100, range(1, 100)) failureCount!: number;
  @ApiProperty(integer(1, 31_536_000))
  @IsInt()
  @Min(1, range(1, 31_536_000))
  @Max(31_536_000, range(1, 31_536_000))
  durationSeconds!: number;
}

export class LengthDto {
  @ApiProperty(integer(1, 255)) @IsInt() @Min(1, range(1, 255)) @Max(255, range(1, 255)) min!: number;
  @ApiProperty(integer(1, 255)) @IsInt() @Min(1, range(1, 255)) @Max(255, range(1, 255)) max!: number;
}

export class HistoryDto {
  @ApiProperty(integer(1, 20)) @IsInt() @Min(1, range(1, 20)) @Max(20, range(1, 20)) count!: number;
  @ApiPropertyOptional(integer(1, 3650)) @IsOptional() @IsInt() @Min(1, range(1, 3650)) @Max(3650, range(1, 3650)) retentionDays?: number;
}

/** PingOne's password policy attributes; those left out take the Standard policy's values. */
export class PasswordPolicyDto {
  @ApiProperty({ minLength: 1, maxLength: 256 }) @IsString() @Length(1, 256) name!: string;
  @ApiPropertyOptional({ maxLength: 1024 }) @IsOptional() @IsString() @MaxLength(1024) description?: string;
  @ApiPropertyOptional({ description: "Make this the environment's default policy." }) @IsOptional() @IsBoolean() default?: boolean;
  @ApiPropertyOptional({ type: () => LockoutDto }) @IsOptional() @ValidateNested() @IsObject() @Type(() => LockoutDto) lockout?: LockoutDto;
  @ApiPropertyOptional({ type: () => LengthDto }) @IsOptional() @ValidateNested() @IsObject() @Type(() => LengthDto) length?: LengthDto;
  @ApiPropertyOptional({ type: () => HistoryDto }) @IsOptional() @ValidateNested() @IsObject() @Type(() => HistoryDto) history?: HistoryDto;
  /** Character set → minimum count; checked in the service (class-validator has no map rule). */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1 },
    description: 'Character set → how many characters of it a password needs.',
  })
  @IsOptional()
  @IsObject()
  minCharacters?: Record<string, unknown>;
  @ApiPropertyOptional(integer(1, 255))
  @IsOptional()
  @IsInt()
  @Min(1, range(1, 255))
  @Max(255, range(1, 255))
  maxRepeatedCharacters?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() excludesCommonlyUsed?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() excludesProfileData?: boolean;
  @ApiPropertyOptional(integer(1, 3650)) @IsOptional() @IsInt() @Min(1, range(1, 3650)) @Max(3650, range(1, 3650)) maxAgeDays?: number;
}
