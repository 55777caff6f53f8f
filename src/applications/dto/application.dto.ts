import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  @ApiProperty({ minLength: 1, maxLength: 256 }) @IsString() @Length(1, 256, range(1, 256)) name!: string;
  @ApiPropertyOptional({ maxLength: 1024, nullable: true }) @IsOptional() @IsString() @MaxLength(1024, range(0, 1024)) description?: string;
  /** Absent means true; null is refused, as for any attribute that cannot be cleared. */
  @ApiPropertyOptional({ default: true })
  @ValidateIf((_object, value) => value !== undefined)
  @IsBoolean()
  enabled?: boolean;
  @ApiProperty({ enum: ['WORKER'] }) @IsIn(['WORKER'], only('type', 'WORKER')) type!: string;
  @ApiProperty({ enum: ['OPENID_CONNECT'] }) @IsIn(['OPENID_CONNECT'], only('protocol', 'OPENID_CONNECT')) protocol!: string;
  @ApiPropertyOptional({ enum: ['CLIENT_SECRET_BASIC'], nullable: true })
  @IsOptional()
  @IsIn(['CLIENT_SECRET_BASIC'], only('tokenEndpointAuthMethod', 'CLIENT_SECRET_BASIC'))
  tokenEndpointAuthMethod?: string;
  @ApiPropertyOptional({ enum: ['CLIENT_CREDENTIALS'], isArray: true, minItems: 1, maxItems: 1, nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @IsIn(['CLIENT_CREDENTIALS'], { each: true, ...only('grantTypes', 'CLIENT_CREDENTIALS') })
  grantTypes?: string[];
}

export class PreviousSecretDto {
  @ApiProperty({ format: 'date-time', description: 'When the previous secret stops working: between one minute and 30 days from now.' })
  @IsDateString({ strict: true }, { message: 'previous.expiresAt must be an ISO 8601 date-time' })
  expiresAt!: string;
}

/** Rotation: an empty body keeps the previous secret for the configured grace period. */
export class RotateSecretDto {
  @ApiPropertyOptional({ type: () => PreviousSecretDto, description: 'Absent: the previous secret works for the configured grace period.' })
  @IsOptional()
  @ValidateNested()
  @IsObject()
  @Type(() => PreviousSecretDto)
  previous?: PreviousSecretDto;
}
