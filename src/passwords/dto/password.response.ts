import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';
import type { PasswordStatus } from '../password-state.js';

const PASSWORD_STATUSES: PasswordStatus[] = ['OK', 'NO_PASSWORD', 'PASSWORD_EXPIRED', 'PASSWORD_LOCKED_OUT', 'MUST_CHANGE_PASSWORD'];

export class PasswordLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) user!: HalLink;
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
  @ApiPropertyOptional({ type: () => HalLink, description: 'The policy that applies, unless it is the built-in Standard policy.' })
  passwordPolicy?: HalLink;
}

/** PingOne's "user password" resource: the password's state, never the password or its hash. */
export class PasswordStateResponse {
  @ApiProperty({ type: () => PasswordLinks }) _links!: PasswordLinks;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty({ type: () => IdReference }) user!: IdReference;
  @ApiPropertyOptional({ type: () => IdReference }) passwordPolicy?: IdReference;
  @ApiProperty({ enum: PASSWORD_STATUSES }) status!: PasswordStatus;
  @ApiPropertyOptional({ format: 'date-time' }) lastChangedAt?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'While the password is locked out for a time.' })
  secondsUntilUnlock?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Failed checks left before the password locks.' })
  failuresRemaining?: number;
}
