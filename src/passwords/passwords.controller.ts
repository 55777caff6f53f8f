import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { ActionFor, Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { UserParams } from '../common/params/path-params.js';
import { PasswordCheckDto, PasswordResetDto, PasswordSetDto } from './dto/password-actions.dto.js';
import { PasswordPresenter } from './password.presenter.js';
import { PasswordsService } from './passwords.service.js';

type Resource = Record<string, unknown>;

/** `/users/{id}/password`: the action is chosen by Content-Type, as in PingOne. */
@Controller('v1/environments/:envId/users/:userId/password')
export class PasswordsController {
  constructor(
    private readonly passwords: PasswordsService,
    private readonly present: PasswordPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_USER_PASSWORD, 'user')
  async state(@Param() { envId, userId }: UserParams): Promise<Resource> {
    return this.present.state(await this.passwords.state(envId, userId));
  }

  @Put()
  @ActionFor(MediaTypes.PASSWORD_SET)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  async set(@Param() { envId, userId }: UserParams, @Body() body: PasswordSetDto, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.state(await this.passwords.set(envId, userId, body.value, body.forceChange ?? false, ctx));
  }

  @Put()
  @ActionFor(MediaTypes.PASSWORD_RESET)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  async reset(@Param() { envId, userId }: UserParams, @Body() body: PasswordResetDto, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.state(await this.passwords.reset(envId, userId, body.newPassword, body.currentPassword, ctx));
  }

  /** Other Content-Types: authenticated, then refused with 415 listing the two above. */
  @Put()
  @Consumes(MediaTypes.PASSWORD_SET, MediaTypes.PASSWORD_RESET)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  unsupportedPut(): never {
    throw new Error('unreachable: the media-type guard refuses every request routed here');
  }

  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.PASSWORD_CHECK)
  @RequirePermission(Permissions.CHECK_USER_PASSWORD, 'user')
  async check(@Param() { envId, userId }: UserParams, @Body() body: PasswordCheckDto, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.state(await this.passwords.check(envId, userId, body.password, ctx));
  }

  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.PASSWORD_UNLOCK)
  @RequirePermission(Permissions.UNLOCK_USER, 'user')
  async unlock(@Param() { envId, userId }: UserParams, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.state(await this.passwords.unlock(envId, userId, ctx));
  }

  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.PASSWORD_FORCE_CHANGE)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  async forceChange(@Param() { envId, userId }: UserParams, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.state(await this.passwords.forceChange(envId, userId, ctx));
  }

  /** Other Content-Types: authenticated, then refused with 415 listing the three above. */
  @Post()
  @Consumes(MediaTypes.PASSWORD_CHECK, MediaTypes.PASSWORD_UNLOCK, MediaTypes.PASSWORD_FORCE_CHANGE)
  @RequirePermission(Permissions.CHECK_USER_PASSWORD, 'user')
  unsupportedPost(): never {
    throw new Error('unreachable: the media-type guard refuses every request routed here');
  }
}
