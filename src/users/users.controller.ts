import type { Reach } from '../common/authorization/access.js';
import { PermissionReach } from '../common/authorization/caller-access.decorator.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { ActionFor, Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { EnabledBodyDto, ListUsersQuery } from './dto/requests.dto.js';
import { EnvironmentParams, UserParams } from '../common/params/path-params.js';
import { UserBodyDto, UserPatchDto } from './dto/user-body.dto.js';
import { UserPresenter } from './user.presenter.js';
import { UsersService } from './users.service.js';

type Resource = Record<string, unknown>;

@Controller('v1/environments/:envId/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly present: UserPresenter,
  ) {}

  @Post()
  @ActionFor(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_USER, 'newUser')
  async create(@Param() { envId }: EnvironmentParams, @Body() body: UserBodyDto, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.user(await this.users.create(envId, body, ctx));
  }

  /** Other Content-Types: authenticated, then refused with 415 (import is in PasswordsModule). */
  @Post()
  @Consumes(MediaTypes.JSON, MediaTypes.USER_IMPORT)
  @RequirePermission(Permissions.CREATE_USER, 'newUser')
  unsupportedMediaType(): never {
    throw new Error('unreachable: the media-type guard refuses every request routed here');
  }

  @Get()
  @RequirePermission(Permissions.READ_USER, 'users')
  async list(@Param() { envId }: EnvironmentParams, @Query() query: ListUsersQuery, @PermissionReach() reach: Reach): Promise<Resource> {
    return this.present.page(envId, await this.users.list(envId, query, reach), query);
  }

  @Get(':userId')
  @RequirePermission(Permissions.READ_USER, 'user')
  async get(@Param() { envId, userId }: UserParams): Promise<Resource> {
    return this.present.user(await this.users.get(envId, userId));
  }

  @Put(':userId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_USER, 'user')
  async replace(@Param() { envId, userId }: UserParams, @Body() body: UserBodyDto, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.user(await this.users.replace(envId, userId, body, ctx));
  }

  @Patch(':userId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_USER, 'user')
  async patch(@Param() { envId, userId }: UserParams, @Body() body: UserPatchDto, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.user(await this.users.patch(envId, userId, body, ctx));
  }

  @Delete(':userId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_USER, 'user')
  async delete(@Param() { envId, userId }: UserParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.users.delete(envId, userId, ctx);
  }

  @Put(':userId/enabled')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_USER, 'user')
  async setEnabled(@Param() { envId, userId }: UserParams, @Body() body: EnabledBodyDto, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.enabled(await this.users.setEnabled(envId, userId, body.enabled, ctx));
  }

  @Get(':userId/enabled')
  @RequirePermission(Permissions.READ_USER, 'user')
  async getEnabled(@Param() { envId, userId }: UserParams): Promise<Resource> {
    return this.present.enabled(await this.users.get(envId, userId));
  }
}
