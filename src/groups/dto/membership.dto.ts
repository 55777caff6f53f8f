import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CursorQuery, FilterQuery, LimitQuery } from '../../common/pagination/page-query.js';

export class MembershipListQuery {
  @ApiPropertyOptional({ enum: ['group'], description: 'group: embed each group in its membership.' })
  @IsOptional()
  @IsIn(['group'])
  expand?: 'group';

  @FilterQuery('A SCIM filter: `type eq "DIRECT"|"INDIRECT"`, `id eq`, `and`, `or`.')
  filter?: string;

  @LimitQuery()
  limit?: number;

  @CursorQuery()
  cursor?: string;
}

export class MembershipReadQuery {
  @ApiPropertyOptional({ enum: ['group'], description: 'group: embed the group in the membership.' })
  @IsOptional()
  @IsIn(['group'])
  expand?: 'group';
}

export class UserGroupParams {
  envId!: string;
  userId!: string;
  groupId!: string;
}
