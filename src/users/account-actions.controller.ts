import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { ActionFor, Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { AccountService } from './account/account.service.js';
import { LockBodyDto } from './dto/requests.dto.js';
import { UserParams } from '../common/params/path-params.js';
import { UserPresenter } from './user.presenter.js';

type Resource = Record<string, unknown>;

/** `POST /users/{id}`: PingOne chooses the account action by the request's Content-Type. */
@Controller('v1/environments/:envId/users')
export class AccountActionsController {
  constructor(
    private readonly account: AccountService,
    private readonly present: UserPresenter,
  ) {}

  @Post(':userId')
  @HttpCode(200)
  @ActionFor(MediaTypes.ACCOUNT_UNLOCK)
  @RequirePermission(Permissions.UNLOCK_USER, 'user')
  async unlock(@Param() { envId, userId }: UserParams, @Ctx() ctx: RequestContext): Promise<Resource> {
    return this.present.user(await this.account.unlock(envId, userId, ctx));
  }

  @Post(':userId')
  @HttpCode(200)
  @ActionFor(MediaTypes.ACCOUNT_LOCK)
  @RequirePermission(Permissions.LOCK_USER, 'user')
  async lock(@Param() { envId, userId }: UserParams, @Body() body: LockBodyDto, @Ctx() ctx: RequestContext): Promise<Resource> {
    const unlockAt = body.unlockAt ? new Date(body.unlockAt) : undefined;
    return this.present.user(await this.account.lock(envId, userId, unlockAt, ctx));
  }

  /**
   * Any other Content-Type lands here: it is authenticated like the actions, then the media-type
   * guard refuses it with 415 listing the types above. The body never runs.
   */
  @Post(':userId')
  @Consumes(MediaTypes.ACCOUNT_UNLOCK, MediaTypes.ACCOUNT_LOCK)
  @RequirePermission(Permissions.UNLOCK_USER, 'user')
  unsupportedMediaType(): never {
    throw new Error('unreachable: the media-type guard refuses every request routed here');
  }
}
