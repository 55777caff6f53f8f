import { Type } from 'class-transformer';
import { IdRefDto } from '../../common/params/id-ref.dto.js';
import { IsBoolean, IsEmail, IsObject, IsOptional, IsString, Length, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

/** Optional, but never null: for attributes that cannot be cleared. */
const PresentOrAbsent = () => ValidateIf((_object, value) => value !== undefined);

const TEXT_MAX = 256;
const range = (min: number, max: number) => ({ context: { rangeMinimumValue: min, rangeMaximumValue: max } });

export class NameDto {
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) given?: string;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) family?: string;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) middle?: string;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) formatted?: string;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) honorificPrefix?: string;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) honorificSuffix?: string;
}

export class AddressDto {
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) streetAddress?: string;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) locality?: string;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) region?: string;
  @IsOptional() @IsString() @MaxLength(40, range(0, 40)) postalCode?: string;
  @IsOptional() @IsString() @MaxLength(2, range(0, 2)) countryCode?: string;
}

export class PhotoDto {
  @IsString() @MaxLength(2048, range(1, 2048)) href!: string;
}

/**
 * The writable attributes of a user, shared by create, replace and patch. Read-only attributes
 * (`id`, `environment`, `account`, `enabled`, `createdAt`, ...) are not here, so the validation
 * pipe refuses them by name.
 */
export class UserAttributesDto {
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320) email?: string;
  @PresentOrAbsent() @IsBoolean() mfaEnabled?: boolean;
  @IsOptional() @ValidateNested() @IsObject() @Type(() => IdRefDto) population?: IdRefDto;
  @IsOptional() @ValidateNested() @IsObject() @Type(() => NameDto) name?: NameDto;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) nickname?: string;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) title?: string;
  @IsOptional() @IsString() @MaxLength(TEXT_MAX, range(0, TEXT_MAX)) type?: string;
  @IsOptional() @IsString() @MaxLength(35, range(0, 35)) locale?: string;
  @IsOptional() @IsString() @MaxLength(35, range(0, 35)) preferredLanguage?: string;
  @IsOptional() @IsString() @MaxLength(64, range(0, 64)) timezone?: string;
  @IsOptional() @IsString() @MaxLength(32, range(0, 32)) mobilePhone?: string;
  @IsOptional() @IsString() @MaxLength(32, range(0, 32)) primaryPhone?: string;
  @IsOptional() @IsString() @MaxLength(1024, range(0, 1024)) externalId?: string;
  @IsOptional() @ValidateNested() @IsObject() @Type(() => PhotoDto) photo?: PhotoDto;
  @IsOptional() @ValidateNested() @IsObject() @Type(() => AddressDto) address?: AddressDto;
}

/** Create and replace: `username` is required. */
export class UserBodyDto extends UserAttributesDto {
  @IsString() @Length(1, 128, range(1, 128)) username!: string;
}

/** Patch: every attribute optional. */
export class UserPatchDto extends UserAttributesDto {
  @PresentOrAbsent() @IsString() @Length(1, 128, range(1, 128)) username?: string;
}
