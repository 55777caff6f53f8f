import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsString, Length, ValidateBy, ValidateNested } from 'class-validator';
import { UserParams } from '../../common/params/path-params.js';
import { LOCKOUT_LIMITS } from '../mfa-settings.js';

export class DeviceParams extends UserParams {
  deviceId!: string;
}

/**
 * OUT_OF_RANGE with the bounds when a number lies outside them. A value that is not a number is
 * left to `@IsInt`, so each wrong value gets one detail.
 */
const InRange = ({ min, max }: { min: number; max: number }) =>
  ValidateBy(
    {
      name: 'inRange',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value !== 'number' || (value >= min && value <= max),
        defaultMessage: (args) => `${args?.property} must be between ${min} and ${max}`,
      },
    },
    { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: min, rangeMaximumValue: max } },
  );

export class MfaLockoutDto {
  @ApiProperty({ type: 'integer', minimum: LOCKOUT_LIMITS.failureCount.min, maximum: LOCKOUT_LIMITS.failureCount.max })
  @IsInt()
  @InRange(LOCKOUT_LIMITS.failureCount)
  failureCount!: number;
  @ApiProperty({ type: 'integer', minimum: LOCKOUT_LIMITS.durationSeconds.min, maximum: LOCKOUT_LIMITS.durationSeconds.max })
  @IsInt()
  @InRange(LOCKOUT_LIMITS.durationSeconds)
  durationSeconds!: number;
}

/** `PUT .../mfaSettings`: replaces the lockout settings; both values are required. */
export class MfaSettingsBodyDto {
  @ApiProperty({ type: () => MfaLockoutDto }) @ValidateNested() @IsObject() @Type(() => MfaLockoutDto) lockout!: MfaLockoutDto;
}

const DEVICE_TYPES = ['TOTP'] as const;

export class CreateDeviceDto {
  @ApiProperty({ enum: DEVICE_TYPES })
  @IsIn(DEVICE_TYPES, { message: 'type must be TOTP', context: { allowedValues: DEVICE_TYPES } })
  type!: (typeof DEVICE_TYPES)[number];
}

/** The body of an OTP check. Any string counts as an attempt; only its presence and size are validated. */
export class OtpCheckDto {
  @ApiProperty({ minLength: 1, maxLength: 64, description: 'The passcode the user entered.' })
  @IsString()
  @Length(1, 64, { context: { rangeMinimumValue: 1, rangeMaximumValue: 64 } })
  otp!: string;
}
