import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class MembershipListQuery {
  @ApiPropertyOptional({ enum: ['group'], description: 'group: embed each group in its membership.' })
  @IsOptional()
  @IsIn(['group'])
  expand?: 'group';

  @ApiPropertyOptional({ maxLength: 2048, description: 'A SCIM filter: `type eq "DIRECT"|"INDIRECT"`, `id eq`, `and`, `or`.' })
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
