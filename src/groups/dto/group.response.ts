import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';

export class GroupLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
  @ApiPropertyOptional({ type: () => HalLink }) population?: HalLink;
  @ApiProperty({ type: () => HalLink, description: 'The groups this group is nested in.' }) memberOfGroups!: HalLink;
}

export class DirectMemberCounts {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Users added to the group itself.' }) users!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Groups nested directly in the group.' }) groups!: number;
}

export class TotalMemberCounts {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Distinct users of the group and of the groups nested in it.' }) users!: number;
}

export class GroupResponse {
  @ApiProperty({ type: () => GroupLinks }) _links!: GroupLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiPropertyOptional({ type: () => IdReference, description: 'Absent: the group spans the environment.' }) population?: IdReference;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The same as name for groups of this service (PingOne sets it for external groups).' }) displayName!: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional() externalId?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) customData?: Record<string, unknown>;
  @ApiPropertyOptional({ type: () => DirectMemberCounts, description: 'Absent on a group embedded in a membership.' })
  directMemberCounts?: DirectMemberCounts;
  @ApiPropertyOptional({ type: () => TotalMemberCounts, description: 'With include=totalMemberCounts on a read of one group.' })
  totalMemberCounts?: TotalMemberCounts;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CollectionLinks extends SelfLinks {
  @ApiPropertyOptional({ type: () => HalLink, description: 'The next page; absent on the last.' }) next?: HalLink;
}

export class EmbeddedGroups {
  @ApiProperty({ type: () => [GroupResponse] }) groups!: GroupResponse[];
}

export class GroupListResponse {
  @ApiProperty({ type: () => CollectionLinks }) _links!: CollectionLinks;
  @ApiProperty({ type: () => EmbeddedGroups }) _embedded!: EmbeddedGroups;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Groups matching the filter, on every page.' }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Groups on this page.' }) size!: number;
}
