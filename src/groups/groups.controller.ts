import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Reach } from '../common/authorization/access.js';
import { PermissionReach } from '../common/authorization/caller-access.decorator.js';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { GroupBodyDto, GroupListQuery, GroupParams, GroupPatchDto, GroupReadQuery } from './dto/group-body.dto.js';
import { GroupListResponse, GroupResponse } from './dto/group.response.js';
import { GroupPresenter } from './group.presenter.js';
import { GroupsService } from './groups.service.js';

const GROUP_NOT_FOUND = 'The group does not exist in the environment.';

@ApiTags('Groups')
@Controller('v1/environments/:envId/groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly present: GroupPresenter,
  ) {}

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_GROUP, 'newGroup')
  @ApiOperation({ summary: 'Create a group' })
  @ApiCreatedResponse({ type: GroupResponse })
  async create(@Param() { envId }: EnvironmentParams, @Body() body: GroupBodyDto, @Ctx() ctx: RequestContext): Promise<GroupResponse> {
    return this.present.group(await this.groups.create(envId, body, ctx));
  }

  @Get()
  @RequirePermission(Permissions.READ_GROUP, 'groups')
  @ApiOperation({ summary: 'List groups' })
  @ApiOkResponse({ type: GroupListResponse })
  async list(
    @Param() { envId }: EnvironmentParams,
    @Query() query: GroupListQuery,
    @PermissionReach() reach: Reach,
  ): Promise<GroupListResponse> {
    return this.present.page(envId, await this.groups.list(envId, query, reach), query);
  }

  @Get(':groupId')
  @RequirePermission(Permissions.READ_GROUP, 'group')
  @ApiOperation({ summary: 'Read a group' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiPingOneError(404, GROUP_NOT_FOUND)
  async get(@Param() { envId, groupId }: GroupParams, @Query() query: GroupReadQuery): Promise<GroupResponse> {
    return this.present.group(await this.groups.get(envId, groupId, query.include));
  }

  @Put(':groupId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_GROUP, 'group')
  @ApiOperation({ summary: 'Replace a group (writable attributes left out are cleared)' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiPingOneError(404, GROUP_NOT_FOUND)
  async replace(@Param() { envId, groupId }: GroupParams, @Body() body: GroupBodyDto, @Ctx() ctx: RequestContext): Promise<GroupResponse> {
    return this.present.group(await this.groups.replace(envId, groupId, body, ctx));
  }

  @Patch(':groupId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_GROUP, 'group')
  @ApiOperation({ summary: 'Change some attributes of a group' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiPingOneError(404, GROUP_NOT_FOUND)
  async patch(@Param() { envId, groupId }: GroupParams, @Body() body: GroupPatchDto, @Ctx() ctx: RequestContext): Promise<GroupResponse> {
    return this.present.group(await this.groups.patch(envId, groupId, body, ctx));
  }

  @Delete(':groupId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_GROUP, 'group')
  @ApiOperation({ summary: 'Delete a group, with its memberships and nestings' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiPingOneError(404, GROUP_NOT_FOUND)
  async delete(@Param() { envId, groupId }: GroupParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.groups.delete(envId, groupId, ctx);
  }
}
