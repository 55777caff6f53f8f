import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** PingOne's bounds on `limit`, with its OUT_OF_RANGE detail when a value falls outside them. */
const LIMIT_RANGE = { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } };

/** `filter`: a SCIM filter of at most 2,048 characters; `description` says which attributes it takes. */
export const FilterQuery = (description: string) =>
  applyDecorators(ApiPropertyOptional({ maxLength: 2048, description }), IsOptional(), IsString(), MaxLength(2048));

/** `limit`: a page of 1 to 1,000 items, 100 when absent. */
export const LimitQuery = () =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1, LIMIT_RANGE),
    Max(1000, LIMIT_RANGE),
  );

/** `cursor`: the opaque position a page's `_links.next` carries. */
export const CursorQuery = () =>
  applyDecorators(
    ApiPropertyOptional({ maxLength: 512, description: 'Where the page starts: taken from `_links.next` of the page before.' }),
    IsOptional(),
    IsString(),
    MaxLength(512),
  );
