import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDateString, IsOptional, IsString, Matches } from 'class-validator';
import { CursorQuery, FilterQuery, LimitQuery } from '../../common/pagination/page-query.js';

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
  @FilterQuery('A SCIM filter, e.g. `username sw "a" and enabled eq true`, or `memberOfGroups[id eq "..."]` (docs/api.md).')
  filter?: string;

  @LimitQuery()
  limit?: number;

  @CursorQuery()
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
