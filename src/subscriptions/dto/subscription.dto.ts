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
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IdRefDto } from '../../common/params/id-ref.dto.js';
import { EnvironmentParams } from '../../common/params/path-params.js';
import { EVENT_CATALOG } from '../../events/index.js';

const ACTION_TYPES = Object.keys(EVENT_CATALOG);
const range = (min: number, max: number) => ({ context: { rangeMinimumValue: min, rangeMaximumValue: max } });
/** Optional, but never null. */
const PresentOrAbsent = () => ValidateIf((_object, value) => value !== undefined);

export const MAX_HEADERS = 20;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
/** Headers the service sets itself, or that would break the request, may not be configured. */
const RESERVED_HEADERS = new Set(['host', 'content-type', 'content-length', 'transfer-encoding', 'connection', 'user-agent']);

/** `httpEndpoint.headers`: names that HTTP allows, string values of a sane size, none the service sets itself. */
const ValidHeaders = () =>
  ValidateBy({
    name: 'validHeaders',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= MAX_HEADERS &&
        Object.entries(value).every(
          ([name, v]) =>
            HEADER_NAME.test(name) &&
            !RESERVED_HEADERS.has(name.toLowerCase()) &&
            !name.toLowerCase().startsWith('webhook-') &&
            typeof v === 'string' &&
            v.length <= 4096 &&
            !/[\r\n\0]/.test(v),
        ),
      defaultMessage: () =>
        `httpEndpoint.headers must be an object of at most ${MAX_HEADERS} headers with string values (up to 4096 characters, no line breaks); Host, Content-Type, Content-Length, Transfer-Encoding, Connection, User-Agent and webhook-* are set by the service`,
    },
  });

export class HttpEndpointDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 2048,
    description: 'An https:// URL whose host resolves to public addresses only (docs/events.md).',
  })
  @IsString()
  @Length(1, 2048, range(1, 2048))
  url!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Sent with every delivery (at most 20); encrypted at rest.',
  })
  @IsOptional()
  @ValidHeaders()
  headers?: Record<string, string>;
}

export class FilterOptionsDto {
  @ApiProperty({ enum: ACTION_TYPES, isArray: true, minItems: 1 })
  @IsArray()
  @ArrayMinSize(1, { message: 'filterOptions.includedActionTypes must name at least one action type' })
  @ArrayMaxSize(ACTION_TYPES.length)
  @IsIn(ACTION_TYPES, { each: true, message: 'each action type must be one the service records', context: { allowedValues: ACTION_TYPES } })
  includedActionTypes!: string[];

  @ApiPropertyOptional({ type: () => [IdRefDto], maxItems: 10, description: 'Events about users of these populations only.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10, range(0, 10))
  @ValidateNested({ each: true })
  @Type(() => IdRefDto)
  includedPopulations?: IdRefDto[];

  @ApiPropertyOptional({ type: () => [IdRefDto], maxItems: 10, description: 'Events caused by these applications only.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10, range(0, 10))
  @ValidateNested({ each: true })
  @Type(() => IdRefDto)
  includedApplications?: IdRefDto[];

  /** PingOne's tags (`adminIdentityEvent`): the service tags no event, so only an empty list is accepted. */
  @ApiPropertyOptional({ type: [String], maxItems: 0 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(0, { message: 'filterOptions.includedTags is not supported: no event carries a tag' })
  includedTags?: string[];

  /** Accepted for PingOne compatibility: events carry no `source` section, so there is nothing to expose. */
  @ApiPropertyOptional()
  @PresentOrAbsent()
  @IsBoolean()
  ipAddressExposed?: boolean;
  @ApiPropertyOptional()
  @PresentOrAbsent()
  @IsBoolean()
  userAgentExposed?: boolean;
}

/** Create and replace (PUT): PingOne's subscription body; `format` ACTIVITY is the only one. */
export class SubscriptionBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 256 })
  @IsString()
  @Length(1, 256, range(1, 256))
  name!: string;
  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;
  @ApiPropertyOptional({ enum: ['ACTIVITY'], default: 'ACTIVITY' })
  @IsOptional()
  @IsIn(['ACTIVITY'], { message: 'format must be ACTIVITY', context: { allowedValues: ['ACTIVITY'] } })
  format?: 'ACTIVITY';
  @ApiProperty({ type: () => FilterOptionsDto })
  @ValidateNested()
  @IsObject()
  @Type(() => FilterOptionsDto)
  filterOptions!: FilterOptionsDto;
  @ApiProperty({ type: () => HttpEndpointDto })
  @ValidateNested()
  @IsObject()
  @Type(() => HttpEndpointDto)
  httpEndpoint!: HttpEndpointDto;
  /** Absent means true, as in PingOne's Terraform provider. */
  @ApiPropertyOptional({ default: true })
  @PresentOrAbsent()
  @IsBoolean()
  verifyTlsCertificates?: boolean;
}

/** `POST .../signingSecret`: rotation, with an optional end for the previous secret's overlap. */
export class RotateSigningSecretDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Until when the previous secret signs too; default WEBHOOK_SECRET_OVERLAP_SECONDS from now.',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'previousExpiresAt must be an ISO 8601 date-time' })
  @MaxLength(64)
  previousExpiresAt?: string;
}

export class SubscriptionParams extends EnvironmentParams {
  subscriptionId!: string;
}
