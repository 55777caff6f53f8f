import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** What `include` may ask for on user reads: PingOne's group attributes, comma-separated. */
export const USER_INCLUDES = ['memberOfGroupIDs', 'memberOfGroupNames'] as const;
export type UserInclude = (typeof USER_INCLUDES)[number];

const IncludeList = () =>
  Matches(new RegExp(`^(${USER_INCLUDES.join('|')})(,(${USER_INCLUDES.join('|')}))*$`), {
    message: `include takes ${USER_INCLUDES.join(' and/or ')}, comma-separated`,
  });

export class UserReadQuery {
  @ApiPropertyOptional({
    description: 'memberOfGroupIDs and/or memberOfGroupNames, comma-separated: the groups of the user, direct and nested.',
  })
  @IsOptional()
  @IsString()
  @IncludeList()
  include?: string;
}

/** The attributes `include` asked for. */
export function includesOf(query: { include?: string }): Set<UserInclude> {
  return new Set((query.include?.split(',') ?? []) as UserInclude[]);
}

export class ListUsersQuery extends UserReadQuery {
  @ApiPropertyOptional({
    maxLength: 2048,
    description: 'A SCIM filter, e.g. `username sw "a" and enabled eq true`, or `memberOfGroups[id eq "..."]` (docs/api.md).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  filter?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1, { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } })
  @Max(1000, { context: { code: 'OUT_OF_RANGE', rangeMinimumValue: 1, rangeMaximumValue: 1000 } })
  limit?: number;

  @ApiPropertyOptional({ maxLength: 512, description: 'Where the page starts: taken from `_links.next` of the page before.' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class EnabledBodyDto {
  @ApiProperty() @IsBoolean() enabled!: boolean;
}

export class LockBodyDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the lock ends by itself; in the future. Absent: until an administrator unlocks.',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'unlockAt must be an ISO 8601 date-time' })
  unlockAt?: string;
}
