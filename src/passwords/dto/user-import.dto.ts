import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { IdField } from '../../common/params/ids.js';
import { UserBodyDto } from '../../users/index.js';
import { ImportedPasswordDto } from './password-actions.dto.js';

/** Optional, but never null. */
const PresentOrAbsent = () => ValidateIf((_object, value) => value !== undefined);
const oneOf = (values: readonly string[]) => IsIn(values, { context: { allowedValues: [...values] } });

export const LIFECYCLE_STATUSES = ['ACCOUNT_OK', 'VERIFICATION_REQUIRED'] as const;
export const ACCOUNT_STATUSES = ['OK', 'LOCKED'] as const;
export const VERIFY_STATUSES = ['NOT_INITIATED', 'ENABLED', 'DISABLED'] as const;
/** PingOne's identity provider types (its `EnumIdentityProvider`). */
export const IDENTITY_PROVIDER_TYPES = [
  'PING_ONE',
  'FACEBOOK',
  'GOOGLE',
  'LINKEDIN',
  'LINKEDIN_OIDC',
  'APPLE',
  'TWITTER',
  'AMAZON',
  'YAHOO',
  'MICROSOFT',
  'PAYPAL',
  'GITHUB',
  'OPENID_CONNECT',
  'SAML',
] as const;

export class ImportedLifecycleDto {
  @ApiPropertyOptional({ enum: LIFECYCLE_STATUSES, default: 'ACCOUNT_OK' }) @PresentOrAbsent() @oneOf(LIFECYCLE_STATUSES) status?: string;
  @ApiPropertyOptional({ description: 'Accepted as PingOne does; this service sends no verification email either way.' })
  @PresentOrAbsent()
  @IsBoolean()
  suppressVerificationCode?: boolean;
}

export class ImportedAccountDto {
  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES, description: '`LOCKED`: the account is locked until an administrator unlocks it.' })
  @PresentOrAbsent()
  @oneOf(ACCOUNT_STATUSES)
  status?: string;
  @ApiPropertyOptional({
    description: '`false` locks the account (unless the user is imported disabled); it must agree with `status` and `enabled`.',
  })
  @PresentOrAbsent()
  @IsBoolean()
  canAuthenticate?: boolean;
}

export class ImportedIdentityProviderDto {
  @ApiPropertyOptional({ enum: IDENTITY_PROVIDER_TYPES, default: 'PING_ONE' })
  @PresentOrAbsent()
  @oneOf(IDENTITY_PROVIDER_TYPES)
  type?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Required with an external type, refused with `PING_ONE`.' })
  @PresentOrAbsent()
  @IdField()
  id?: string;
}

/**
 * `user.import+json`: a user's attributes, optionally a password, and what PingOne lets an import
 * set that no other write does. Each is validated and stored; anything else is refused by name.
 */
export class UserImportDto extends UserBodyDto {
  @ApiPropertyOptional({ type: () => ImportedPasswordDto, description: 'Absent: the user has no password (`NO_PASSWORD`).' })
  @PresentOrAbsent()
  @ValidateNested()
  @IsObject()
  @Type(() => ImportedPasswordDto)
  password?: ImportedPasswordDto;

  @ApiPropertyOptional({ default: false }) @PresentOrAbsent() @IsBoolean() emailVerified?: boolean;
  @ApiPropertyOptional({ default: true }) @PresentOrAbsent() @IsBoolean() enabled?: boolean;

  @ApiPropertyOptional({ type: () => ImportedLifecycleDto })
  @PresentOrAbsent()
  @ValidateNested()
  @IsObject()
  @Type(() => ImportedLifecycleDto)
  lifecycle?: ImportedLifecycleDto;

  @ApiPropertyOptional({ type: () => ImportedAccountDto })
  @PresentOrAbsent()
  @ValidateNested()
  @IsObject()
  @Type(() => ImportedAccountDto)
  account?: ImportedAccountDto;

  @ApiPropertyOptional({ enum: VERIFY_STATUSES, default: 'NOT_INITIATED' })
  @PresentOrAbsent()
  @oneOf(VERIFY_STATUSES)
  verifyStatus?: string;

  @ApiPropertyOptional({ type: () => ImportedIdentityProviderDto })
  @PresentOrAbsent()
  @ValidateNested()
  @IsObject()
  @Type(() => ImportedIdentityProviderDto)
  identityProvider?: ImportedIdentityProviderDto;
}
