import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EnvironmentParams } from '../../common/params/path-params.js';

const range = (min: number, max: number) => ({ context: { rangeMinimumValue: min, rangeMaximumValue: max } });
const only = (target: string, value: string) => ({
  message: `${target} must be ${value}: only worker applications with client credentials are supported.`,
  context: { allowedValues: [value] },
});

export class ApplicationParams extends EnvironmentParams {
  appId!: string;
}

/**
 * Create and full update (PUT). `type` and `protocol` are required, as PingOne requires them, and
 * only a worker is supported. `tokenEndpointAuthMethod` and `grantTypes` are accepted, with the one
 * value a worker has here, so that a body written for PingOne passes unchanged.
 */
export class ApplicationBodyDto {
  @IsString() @Length(1, 256, range(1, 256)) name!: string;
  @IsOptional() @IsString() @MaxLength(1024, range(0, 1024)) description?: string;
  /** Absent means true; null is refused, as for any attribute that cannot be cleared. */
  @ValidateIf((_object, value) => value !== undefined) @IsBoolean() enabled?: boolean;
  @IsIn(['WORKER'], only('type', 'WORKER')) type!: string;
  @IsIn(['OPENID_CONNECT'], only('protocol', 'OPENID_CONNECT')) protocol!: string;
  @IsOptional() @IsIn(['CLIENT_SECRET_BASIC'], only('tokenEndpointAuthMethod', 'CLIENT_SECRET_BASIC')) tokenEndpointAuthMethod?: string;
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @IsIn(['CLIENT_CREDENTIALS'], { each: true, ...only('grantTypes', 'CLIENT_CREDENTIALS') })
  grantTypes?: string[];
}

export class PreviousSecretDto {
  @IsDateString({ strict: true }, { message: 'previous.expiresAt must be an ISO 8601 date-time' }) expiresAt!: string;
}

/** Rotation: an empty body keeps the previous secret for the configured grace period. */
export class RotateSecretDto {
  @IsOptional() @ValidateNested() @IsObject() @Type(() => PreviousSecretDto) previous?: PreviousSecretDto;
}
