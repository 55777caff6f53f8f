import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { IdRefDto } from '../common/params/id-ref.dto.js';
import { GroupNestingParams, GroupParams } from './dto/group-body.dto.js';
import { MembershipListQuery, MembershipReadQuery } from './dto/membership.dto.js';
import { GroupMembershipListResponse, GroupMembershipResponse } from './dto/membership.response.js';
import { GroupPresenter } from './group.presenter.js';
import { GroupNestingsService } from './group-nestings.service.js';

const NOT_FOUND = 'The group, or its nesting in the other group, does not exist.';

/** `/groups/{groupID}/memberOfGroups`: the groups a group is nested in (PingOne's group nesting). */
@ApiTags('Groups')
@Controller('v1/environments/:envId/groups/:groupId/memberOfGroups')
export class GroupNestingsController {
  constructor(
    private readonly nestings: GroupNestingsService,
    private readonly present: GroupPresenter,
  ) {}

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_GROUP, 'group')
  @ApiOperation({ summary: 'Nest a group in another group (the body names the parent)' })
  @ApiCreatedResponse({ type: GroupMembershipResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async create(
    @Param() { envId, groupId }: GroupParams,
    @Body() body: IdRefDto,
    @Ctx() ctx: RequestContext,
  ): Promise<GroupMembershipResponse> {
    return this.present.membership(envId, `groups/${groupId}`, await this.nestings.add(envId, groupId, body.id, ctx));
  }

  @Get()
  @RequirePermission(Permissions.READ_GROUP, 'group')
  @ApiOperation({ summary: 'List the groups a group is nested in, directly or through other groups' })
  @ApiOkResponse({ type: GroupMembershipListResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async list(@Param() { envId, groupId }: GroupParams, @Query() query: MembershipListQuery): Promise<GroupMembershipListResponse> {
    return this.present.memberships(envId, `groups/${groupId}`, await this.nestings.list(envId, groupId, query), query);
  }

  @Get(':parentGroupId')
  @RequirePermission(Permissions.READ_GROUP, 'group')
  @ApiOperation({ summary: 'Read the nesting of a group in another group' })
  @ApiOkResponse({ type: GroupMembershipResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async get(
    @Param() { envId, groupId, parentGroupId }: GroupNestingParams,
    @Query() query: MembershipReadQuery,
  ): Promise<GroupMembershipResponse> {
    return this.present.membership(envId, `groups/${groupId}`, await this.nestings.get(envId, groupId, parentGroupId), query.expand);
  }

  @Delete(':parentGroupId')
  @HttpCode(204)
  @RequirePermission(Permissions.UPDATE_GROUP, 'group')
  @ApiOperation({ summary: 'Take a group out of another group' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiPingOneError(404, NOT_FOUND)
  async delete(@Param() { envId, groupId, parentGroupId }: GroupNestingParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.nestings.remove(envId, groupId, parentGroupId, ctx);
  }
}
