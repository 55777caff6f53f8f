import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';
import { CollectionLinks, GroupResponse } from './group.response.js';

export class MembershipLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink, description: 'The group the user or group belongs to.' }) group!: HalLink;
}

export class EmbeddedGroup {
  @ApiProperty({ type: () => GroupResponse }) group!: GroupResponse;
}

/** One group a user (or a group) belongs to, in PingOne's GroupMembership shape. */
export class GroupMembershipResponse {
  @ApiProperty({ type: () => MembershipLinks }) _links!: MembershipLinks;
  @ApiProperty({ format: 'uuid', description: "The group's id." }) id!: string;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty({ description: "The group's name." }) name!: string;
  @ApiProperty({ enum: ['DIRECT', 'INDIRECT'], description: 'DIRECT: added to the group itself; INDIRECT: through nested groups only.' })
  type!: 'DIRECT' | 'INDIRECT';
  @ApiPropertyOptional({ type: () => EmbeddedGroup, description: 'With expand=group.' }) _embedded?: EmbeddedGroup;
}

export class EmbeddedGroupMemberships {
  @ApiProperty({ type: () => [GroupMembershipResponse] }) groupMemberships!: GroupMembershipResponse[];
}

export class GroupMembershipListResponse {
  @ApiProperty({ type: () => CollectionLinks }) _links!: CollectionLinks;
  @ApiProperty({ type: () => EmbeddedGroupMemberships }) _embedded!: EmbeddedGroupMemberships;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Memberships on this page.' }) size!: number;
}
