import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IdRefDto } from '../../common/params/id-ref.dto.js';
import { IsBoolean, IsEmail, IsObject, IsOptional, IsString, Length, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

/** Optional, but never null: for attributes that cannot be cleared. */
const PresentOrAbsent = () => ValidateIf((_object, value) => value !== undefined);

const TEXT_MAX = 256;
const range = (min: number, max: number) => ({ context: { rangeMinimumValue: min, rangeMaximumValue: max } });
/** An attribute that may be left out, or sent as null to clear it. */
const Clearable = (options: Parameters<typeof ApiPropertyOptional>[0] = {}) => ApiPropertyOptional({ nullable: true, ...options });

export class NameDto {
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) given?: string;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) family?: string;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) middle?: string;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) formatted?: string;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) honorificPrefix?: string;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) honorificSuffix?: string;
}

export class AddressDto {
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) streetAddress?: string;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) locality?: string;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) region?: string;
  @Clearable({ maxLength: 40 }) @IsOptional() @IsString() @MaxLength(40, range(0, 40)) postalCode?: string;
  @Clearable({ maxLength: 2 }) @IsOptional() @IsString() @MaxLength(2, range(0, 2)) countryCode?: string;
}

export class PhotoDto {
  @ApiProperty({ minLength: 1, maxLength: 2048 }) @IsString() @MaxLength(2048, range(1, 2048)) href!: string;
}

/**
 * The writable attributes of a user, shared by create, replace and patch. Read-only attributes
 * (`id`, `environment`, `account`, `enabled`, `createdAt`, ...) are not here, so the validation
 * pipe refuses them by name.
 */
export class UserAttributesDto {
  @Clearable({ format: 'email', maxLength: 320 })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email?: string;
  @ApiPropertyOptional() @PresentOrAbsent() @IsBoolean() mfaEnabled?: boolean;
  @Clearable({ type: () => IdRefDto, description: "Default: the environment's default population." })
  @IsOptional()
  @ValidateNested()
  @IsObject()
  @Type(() => IdRefDto)
  population?: IdRefDto;
  @Clearable({ type: () => NameDto }) @IsOptional() @ValidateNested() @IsObject() @Type(() => NameDto) name?: NameDto;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) nickname?: string;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) title?: string;
  @Clearable({ maxLength: TEXT_MAX }) @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) type?: string;
  @Clearable({ maxLength: 35 }) @IsOptional() @IsString() @MaxLength(35, range(0, 35)) locale?: string;
  @Clearable({ maxLength: 35 }) @IsOptional() @IsString() @MaxLength(35, range(0, 35)) preferredLanguage?: string;
  @Clearable({ maxLength: 64 }) @IsOptional() @IsString() @MaxLength(64, range(0, 64)) timezone?: string;
  @Clearable({ maxLength: 32 }) @IsOptional() @IsString() @MaxLength(32, range(0, 32)) mobilePhone?: string;
  @Clearable({ maxLength: 32 }) @IsOptional() @IsString() @MaxLength(32, range(0, 32)) primaryPhone?: string;
  @Clearable({ maxLength: 1024 }) @IsOptional() @IsString() @MaxLength(1024, range(0, 1024)) externalId?: string;
  @Clearable({ type: () => PhotoDto }) @IsOptional() @ValidateNested() @IsObject() @Type(() => PhotoDto) photo?: PhotoDto;
  @Clearable({ type: () => AddressDto }) @IsOptional() @ValidateNested() @IsObject() @Type(() => AddressDto) address?: AddressDto;
}

/** Create and replace: `username` is required. */
export class UserBodyDto extends UserAttributesDto {
  @ApiProperty({ minLength: 1, maxLength: 128, description: 'Unique in the environment, whatever its case.' })
  @IsString()
  @Length(1, 128, range(1, 128))
  username!: string;
}

/** Patch: every attribute optional. */
export class UserPatchDto extends UserAttributesDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 128 })
  @PresentOrAbsent()
  @IsString()
  @Length(1, 128, range(1, 128))
  username?: string;
}
