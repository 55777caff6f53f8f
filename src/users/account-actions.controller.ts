import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { FeatureUnavailable } from '../common/errors/domain-error.js';
import { ActionFor, MediaTypeFallback } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { AccountService } from './account/account.service.js';
import { LockBodyDto } from './dto/requests.dto.js';
import { UserResponse } from './dto/user.response.js';
import { UserParams } from '../common/params/path-params.js';
import { UserPresenter } from './user.presenter.js';

const USER_NOT_FOUND = 'The user does not exist in the environment.';
/** Both actions answer alike: they are one operation of the OpenAPI document. */
/** PingOne links these actions from every user; this service sends no codes (docs/api.md). */
const UNAVAILABLE = 'Not available in this service: answers `400 INVALID_REQUEST` with detail `FEATURE_NOT_ENABLED`.';
const ACCOUNT_AFTER = 'The user, with its account as the action left it (unchanged when there was nothing to do).';

/** `POST /users/{id}`: PingOne chooses the account action by the request's Content-Type. */
@ApiTags('Users')
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
  @ApiOperation({ summary: 'Unlock the account', description: 'No body is needed; one sent is ignored.' })
  @ApiOkResponse({ type: UserResponse, description: ACCOUNT_AFTER })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async unlock(@Param() { envId, userId }: UserParams, @Ctx() ctx: RequestContext): Promise<UserResponse> {
    return this.present.user(await this.account.unlock(envId, userId, ctx));
  }

  @Post(':userId')
  @HttpCode(200)
  @ActionFor(MediaTypes.ACCOUNT_LOCK)
  @RequirePermission(Permissions.LOCK_USER, 'user')
  @ApiOperation({ summary: 'Lock the account', description: 'Until `unlockAt`, or without it until an administrator unlocks it.' })
  @ApiOkResponse({ type: UserResponse, description: ACCOUNT_AFTER })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async lock(@Param() { envId, userId }: UserParams, @Body() body: LockBodyDto, @Ctx() ctx: RequestContext): Promise<UserResponse> {
    const unlockAt = body.unlockAt ? new Date(body.unlockAt) : undefined;
    return this.present.user(await this.account.lock(envId, userId, unlockAt, ctx));
  }

  @Post(':userId')
  @HttpCode(200)
  @ActionFor(MediaTypes.USER_SEND_VERIFICATION_CODE)
  @RequirePermission(Permissions.UPDATE_USER, 'user')
  @ApiOperation({ summary: 'Send a verification code', description: UNAVAILABLE })
  @ApiOkResponse({ type: UserResponse, description: ACCOUNT_AFTER })
  @ApiPingOneError(404, USER_NOT_FOUND)
  sendVerificationCode(): never {
    throw new FeatureUnavailable(MediaTypes.USER_SEND_VERIFICATION_CODE, 'Sending a verification code');
  }

  @Post(':userId')
  @HttpCode(200)
  @ActionFor(MediaTypes.USER_VERIFY)
  @RequirePermission(Permissions.UPDATE_USER, 'user')
  @ApiOperation({ summary: 'Verify the user with a code', description: UNAVAILABLE })
  @ApiOkResponse({ type: UserResponse, description: ACCOUNT_AFTER })
  @ApiPingOneError(404, USER_NOT_FOUND)
  verify(): never {
    throw new FeatureUnavailable(MediaTypes.USER_VERIFY, 'Verifying a user with a code');
  }

  /**
   * Any other Content-Type lands here: it is authenticated like the actions, then the media-type
   * guard refuses it with 415 listing the types above. The body never runs.
   */
  @Post(':userId')
  @MediaTypeFallback(MediaTypes.ACCOUNT_UNLOCK, MediaTypes.ACCOUNT_LOCK)
  @RequirePermission(Permissions.UNLOCK_USER, 'user')
  unsupportedMediaType(): never {
    throw new Error('unreachable: the media-type guard refuses every request routed here');
  }
}
