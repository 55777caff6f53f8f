import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Long enough for any policy (PingOne's maximum is 255 characters) and for imported hashes. */
const MAX = 1024;

export class PasswordCheckDto {
  @ApiProperty({ minLength: 1, maxLength: MAX }) @IsString() @MinLength(1) @MaxLength(MAX) password!: string;
}

export class PasswordSetDto {
  @ApiProperty({ minLength: 1, maxLength: MAX }) @IsString() @MinLength(1) @MaxLength(MAX) value!: string;
  @ApiPropertyOptional({ default: false, description: 'Whether the user must change it at the next sign-on.' })
  @IsOptional()
  @IsBoolean()
  forceChange?: boolean;
}

export class PasswordResetDto {
  @ApiProperty({ minLength: 1, maxLength: MAX }) @IsString() @MinLength(1) @MaxLength(MAX) newPassword!: string;
  @ApiPropertyOptional({
    maxLength: MAX,
    description: "The user's own change names the current password; an administrator's reset does not.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX)
  currentPassword?: string;
}

export class ImportedPasswordDto {
  /** Cleartext (policy-checked, then hashed) or an argon2 or bcrypt hash (kept as it is). */
  @ApiProperty({
    minLength: 1,
    maxLength: MAX,
    description: 'A cleartext password (policy-checked, then hashed), or an argon2 or bcrypt hash.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX)
  value!: string;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() forceChange?: boolean;
}
