import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';
import type { MfaDeviceType } from '../device.js';

const DEVICE_TYPES: MfaDeviceType[] = ['TOTP'];

export class DeviceLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
  @ApiProperty({ type: () => HalLink }) user!: HalLink;
}

/** PingOne's MFA device. Never its secret: that is in the creation's answer only. */
export class DeviceResponse {
  @ApiProperty({ type: () => DeviceLinks }) _links!: DeviceLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DEVICE_TYPES }) type!: MfaDeviceType;
  @ApiProperty({ enum: ['ACTIVE'] }) status!: 'ACTIVE';
  @ApiProperty({ type: () => IdReference }) user!: IdReference;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** The answer to a device's creation: the only time its secret leaves the service. */
export class CreatedDeviceResponse extends DeviceResponse {
  @ApiProperty({ description: 'The TOTP secret, base32: shown once.' }) secret!: string;
  @ApiProperty({ description: 'An `otpauth://totp/...` URI for authenticator apps (a QR code of it).' }) keyUri!: string;
}

export class EmbeddedDevices {
  @ApiProperty({ type: () => [DeviceResponse] }) devices!: DeviceResponse[];
}

export class DeviceListResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ type: () => EmbeddedDevices }) _embedded!: EmbeddedDevices;
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) size!: number;
}

export class MfaSettingsLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
}

export class MfaLockoutResponse {
  @ApiProperty({ type: 'integer', description: 'Failed OTP checks that lock the account.' }) failureCount!: number;
  @ApiProperty({ type: 'integer', description: 'How long that lock lasts.' }) durationSeconds!: number;
}

export class MfaSettingsResponse {
  @ApiProperty({ type: () => MfaSettingsLinks }) _links!: MfaSettingsLinks;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty({ type: () => MfaLockoutResponse }) lockout!: MfaLockoutResponse;
  @ApiPropertyOptional({ format: 'date-time', description: 'Absent while the environment runs on the defaults.' }) updatedAt?: string;
}
