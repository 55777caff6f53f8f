import type { Reach } from '../common/authorization/access.js';
import { PermissionReach } from '../common/authorization/caller-access.decorator.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { ActionFor, Consumes, MediaTypeFallback } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { EnabledBodyDto, includesOf, ListUsersQuery, UserReadQuery } from './dto/requests.dto.js';
import { EnvironmentParams, UserParams } from '../common/params/path-params.js';
import { UserBodyDto, UserPatchDto } from './dto/user-body.dto.js';
import { UserEnabledResponse, UserListResponse, UserResponse } from './dto/user.response.js';
import { UserPresenter } from './user.presenter.js';
import { UsersService } from './users.service.js';

const USER_NOT_FOUND = 'The user does not exist in the environment.';

@ApiTags('Users')
@Controller('v1/environments/:envId/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly present: UserPresenter,
  ) {}

  @Post()
  @ActionFor(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_USER, 'newUser')
  @ApiOperation({ summary: 'Create a user' })
  @ApiCreatedResponse({ type: UserResponse, description: 'The user as created.' })
  async create(
    @Param() { envId }: EnvironmentParams,
    @Body() body: UserBodyDto,
    @Ctx() ctx: RequestContext,
    @PermissionReach() reach: Reach,
  ): Promise<UserResponse> {
    return this.present.user(await this.users.create(envId, body, ctx, reach));
  }

  /** Other Content-Types: authenticated, then refused with 415 (import is in PasswordsModule). */
  @Post()
  @MediaTypeFallback(MediaTypes.JSON, MediaTypes.USER_IMPORT)
  @RequirePermission(Permissions.CREATE_USER, 'newUser')
  unsupportedMediaType(): never {
    throw new Error('unreachable: the media-type guard refuses every request routed here');
  }

  @Get()
  @RequirePermission(Permissions.READ_USER, 'users')
  @ApiOperation({ summary: 'List users' })
  @ApiOkResponse({ type: UserListResponse, description: 'One page of the users that match the filter.' })
  async list(
    @Param() { envId }: EnvironmentParams,
    @Query() query: ListUsersQuery,
    @PermissionReach() reach: Reach,
  ): Promise<UserListResponse> {
    const page = await this.users.list(envId, query, reach);
    const includes = includesOf(query);
    return this.present.page(envId, page, query, await this.users.groupsOf(page.users, includes), includes);
  }

  @Get(':userId')
  @RequirePermission(Permissions.READ_USER, 'user')
  @ApiOperation({ summary: 'Read a user' })
  @ApiOkResponse({ type: UserResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async get(@Param() { envId, userId }: UserParams, @Query() query: UserReadQuery): Promise<UserResponse> {
    const user = await this.users.get(envId, userId);
    const includes = includesOf(query);
    return this.present.user(user, await this.users.groupsOf([user], includes), includes);
  }

  @Put(':userId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_USER, 'user')
  @ApiOperation({ summary: 'Replace a user (writable attributes left out are cleared)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async replace(
    @Param() { envId, userId }: UserParams,
    @Body() body: UserBodyDto,
    @Ctx() ctx: RequestContext,
    @PermissionReach() reach: Reach,
  ): Promise<UserResponse> {
    return this.present.user(await this.users.replace(envId, userId, body, ctx, reach));
  }

  @Patch(':userId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_USER, 'user')
  @ApiOperation({ summary: 'Change some attributes of a user' })
  @ApiOkResponse({ type: UserResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async patch(
    @Param() { envId, userId }: UserParams,
    @Body() body: UserPatchDto,
    @Ctx() ctx: RequestContext,
    @PermissionReach() reach: Reach,
  ): Promise<UserResponse> {
    return this.present.user(await this.users.patch(envId, userId, body, ctx, reach));
  }

  @Delete(':userId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_USER, 'user')
  @ApiOperation({ summary: 'Delete a user' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async delete(@Param() { envId, userId }: UserParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.users.delete(envId, userId, ctx);
  }

  @Put(':userId/enabled')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_USER, 'user')
  @ApiOperation({ summary: 'Enable or disable a user' })
  @ApiOkResponse({ type: UserEnabledResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async setEnabled(
    @Param() { envId, userId }: UserParams,
    @Body() body: EnabledBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<UserEnabledResponse> {
    return this.present.enabled(await this.users.setEnabled(envId, userId, body.enabled, ctx));
  }

  @Get(':userId/enabled')
  @RequirePermission(Permissions.READ_USER, 'user')
  @ApiOperation({ summary: 'Read whether a user is enabled' })
  @ApiOkResponse({ type: UserEnabledResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async getEnabled(@Param() { envId, userId }: UserParams): Promise<UserEnabledResponse> {
    return this.present.enabled(await this.users.get(envId, userId));
  }
}
