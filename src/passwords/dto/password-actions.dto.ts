import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { UserBodyDto } from '../../users/index.js';

/** Long enough for any policy (PingOne's maximum is 255 characters) and for imported hashes. */
const MAX = 1024;

export class PasswordCheckDto {
  @IsString() @MinLength(1) @MaxLength(MAX) password!: string;
}

export class PasswordSetDto {
  @IsString() @MinLength(1) @MaxLength(MAX) value!: string;
  @IsOptional() @IsBoolean() forceChange?: boolean;
}

export class PasswordResetDto {
  @IsString() @MinLength(1) @MaxLength(MAX) newPassword!: string;
  @IsOptional() @IsString() @MaxLength(MAX) currentPassword?: string;
}

export class ImportedPasswordDto {
  /** Cleartext (policy-checked, then hashed) or an argon2 or bcrypt hash (kept as it is). */
  @IsString() @MinLength(1) @MaxLength(MAX) value!: string;
  @IsOptional() @IsBoolean() forceChange?: boolean;
}

/** `user.import+json`: a user's attributes plus their password. */
export class UserImportDto extends UserBodyDto {
  @ValidateNested() @IsObject() @Type(() => ImportedPasswordDto) password!: ImportedPasswordDto;
}
