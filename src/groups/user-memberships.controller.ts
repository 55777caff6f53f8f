import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { IdRefDto } from '../common/params/id-ref.dto.js';
import { UserParams } from '../common/params/path-params.js';
import { MembershipListQuery, MembershipReadQuery, UserGroupParams } from './dto/membership.dto.js';
import { GroupMembershipListResponse, GroupMembershipResponse } from './dto/membership.response.js';
import { GroupPresenter } from './group.presenter.js';
import { UserMembershipsService } from './user-memberships.service.js';

const NOT_FOUND = 'The user does not exist, or is not a member of the group.';

/** `/users/{userID}/memberOfGroups`: the groups a user belongs to (PingOne's group membership). */
@ApiTags('Group memberships')
@Controller('v1/environments/:envId/users/:userId/memberOfGroups')
export class UserMembershipsController {
  constructor(
    private readonly memberships: UserMembershipsService,
    private readonly present: GroupPresenter,
  ) {}

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_GROUP_MEMBERSHIP, 'user')
  @ApiOperation({ summary: 'Add a user to a group (the body names the group)' })
  @ApiCreatedResponse({ type: GroupMembershipResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async create(
    @Param() { envId, userId }: UserParams,
    @Body() body: IdRefDto,
    @Ctx() ctx: RequestContext,
  ): Promise<GroupMembershipResponse> {
    return this.present.membership(envId, `users/${userId}`, await this.memberships.add(envId, userId, body.id, ctx));
  }

  @Get()
  @RequirePermission(Permissions.READ_GROUP_MEMBERSHIP, 'user')
  @ApiOperation({ summary: "List a user's groups: DIRECT, and INDIRECT through nested groups" })
  @ApiOkResponse({ type: GroupMembershipListResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async list(@Param() { envId, userId }: UserParams, @Query() query: MembershipListQuery): Promise<GroupMembershipListResponse> {
    return this.present.memberships(envId, `users/${userId}`, await this.memberships.list(envId, userId, query), query);
  }

  @Get(':groupId')
  @RequirePermission(Permissions.READ_GROUP_MEMBERSHIP, 'user')
  @ApiOperation({ summary: "Read a user's membership of one group" })
  @ApiOkResponse({ type: GroupMembershipResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async get(@Param() { envId, userId, groupId }: UserGroupParams, @Query() query: MembershipReadQuery): Promise<GroupMembershipResponse> {
    return this.present.membership(envId, `users/${userId}`, await this.memberships.get(envId, userId, groupId), query.expand);
  }

  @Delete(':groupId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_GROUP_MEMBERSHIP, 'user')
  @ApiOperation({ summary: 'Remove a user from a group it was added to' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiPingOneError(404, NOT_FOUND)
  async delete(@Param() { envId, userId, groupId }: UserGroupParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.memberships.remove(envId, userId, groupId, ctx);
  }
}
