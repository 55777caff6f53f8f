import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { FeatureUnavailable } from '../common/errors/domain-error.js';
import { ActionFor, MediaTypeFallback } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { UserParams } from '../common/params/path-params.js';
import { PasswordCheckDto, PasswordResetDto, PasswordSetDto } from './dto/password-actions.dto.js';
import { PasswordStateResponse } from './dto/password.response.js';
import { PasswordPresenter } from './password.presenter.js';
import { PasswordsService } from './passwords.service.js';

const USER_NOT_FOUND = 'The user does not exist in the environment.';
const LIMITED = 'Password checks (and the current password of a self change) are rate-limited: retry after `Retry-After` seconds.';
const STATE = 'The state of the password after the action.';
const REFUSED =
  'Invalid attributes, a password the policy refuses, a wrong password (`failuresRemaining`), or one that cannot be checked now ' +
  '(`PASSWORD_LOCKED_OUT`, `ACCOUNT_LOCKED`, `NO_PASSWORD`), or a recovery action this service does not offer (`FEATURE_NOT_ENABLED`).';
/** PingOne links password recovery from every user; this service sends no recovery codes (docs/api.md). */
const UNAVAILABLE = 'Not available in this service: answers `400 INVALID_REQUEST` with detail `FEATURE_NOT_ENABLED`.';

/** `/users/{id}/password`: the action is chosen by Content-Type, as in PingOne. */
@ApiTags('Passwords')
@Controller('v1/environments/:envId/users/:userId/password')
export class PasswordsController {
  constructor(
    private readonly passwords: PasswordsService,
    private readonly present: PasswordPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_USER_PASSWORD, 'user')
  @ApiOperation({ summary: "Read the state of a user's password" })
  @ApiOkResponse({ type: PasswordStateResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async state(@Param() { envId, userId }: UserParams): Promise<PasswordStateResponse> {
    return this.present.state(await this.passwords.state(envId, userId));
  }

  @Put()
  @ActionFor(MediaTypes.PASSWORD_SET)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  @ApiOperation({ summary: 'Set the password', description: "An administrator's set, checked against the policy." })
  @ApiOkResponse({ type: PasswordStateResponse, description: STATE })
  @ApiPingOneError(400, REFUSED)
  @ApiPingOneError(429, LIMITED)
  @ApiPingOneError(404, USER_NOT_FOUND)
  async set(
    @Param() { envId, userId }: UserParams,
    @Body() body: PasswordSetDto,
    @Ctx() ctx: RequestContext,
  ): Promise<PasswordStateResponse> {
    return this.present.state(await this.passwords.set(envId, userId, body.value, body.forceChange ?? false, ctx));
  }

  @Put()
  @ActionFor(MediaTypes.PASSWORD_RESET)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  @ApiOperation({
    summary: 'Change the password',
    description:
      "With `currentPassword`, the user's own change; without it, an administrator's reset, which also clears a password lockout.",
  })
  @ApiOkResponse({ type: PasswordStateResponse, description: STATE })
  @ApiPingOneError(400, REFUSED)
  @ApiPingOneError(429, LIMITED)
  @ApiPingOneError(404, USER_NOT_FOUND)
  async reset(
    @Param() { envId, userId }: UserParams,
    @Body() body: PasswordResetDto,
    @Ctx() ctx: RequestContext,
  ): Promise<PasswordStateResponse> {
    return this.present.state(await this.passwords.reset(envId, userId, body.newPassword, body.currentPassword, ctx));
  }

  /** Other Content-Types: authenticated, then refused with 415 listing the two above. */
  @Put()
  @MediaTypeFallback(MediaTypes.PASSWORD_SET, MediaTypes.PASSWORD_RESET)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  unsupportedPut(): never {
    throw new Error('unreachable: the media-type guard refuses every request routed here');
  }

  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.PASSWORD_CHECK)
  @RequirePermission(Permissions.CHECK_USER_PASSWORD, 'user')
  @ApiOperation({ summary: 'Check a password', description: 'A failure counts towards the password lockout.' })
  @ApiOkResponse({ type: PasswordStateResponse, description: STATE })
  @ApiPingOneError(400, REFUSED)
  @ApiPingOneError(429, LIMITED)
  @ApiPingOneError(404, USER_NOT_FOUND)
  async check(
    @Param() { envId, userId }: UserParams,
    @Body() body: PasswordCheckDto,
    @Ctx() ctx: RequestContext,
  ): Promise<PasswordStateResponse> {
    return this.present.state(await this.passwords.check(envId, userId, body.password, ctx));
  }

  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.PASSWORD_UNLOCK)
  @RequirePermission(Permissions.UNLOCK_USER, 'user')
  @ApiOperation({ summary: 'Unlock the password', description: 'No body is needed.' })
  @ApiOkResponse({ type: PasswordStateResponse, description: STATE })
  @ApiPingOneError(400, REFUSED)
  @ApiPingOneError(429, LIMITED)
  @ApiPingOneError(404, USER_NOT_FOUND)
  async unlock(@Param() { envId, userId }: UserParams, @Ctx() ctx: RequestContext): Promise<PasswordStateResponse> {
    return this.present.state(await this.passwords.unlock(envId, userId, ctx));
  }

  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.PASSWORD_FORCE_CHANGE)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  @ApiOperation({ summary: 'Require a password change', description: 'No body is needed.' })
  @ApiOkResponse({ type: PasswordStateResponse, description: STATE })
  @ApiPingOneError(400, REFUSED)
  @ApiPingOneError(429, LIMITED)
  @ApiPingOneError(404, USER_NOT_FOUND)
  async forceChange(@Param() { envId, userId }: UserParams, @Ctx() ctx: RequestContext): Promise<PasswordStateResponse> {
    return this.present.state(await this.passwords.forceChange(envId, userId, ctx));
  }

  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.PASSWORD_SEND_RECOVERY_CODE)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  @ApiOperation({ summary: 'Send a password recovery code', description: UNAVAILABLE })
  @ApiOkResponse({ type: PasswordStateResponse, description: STATE })
  @ApiPingOneError(400, REFUSED)
  @ApiPingOneError(429, LIMITED)
  @ApiPingOneError(404, USER_NOT_FOUND)
  sendRecoveryCode(): never {
    throw new FeatureUnavailable(MediaTypes.PASSWORD_SEND_RECOVERY_CODE, 'Sending a password recovery code');
  }

  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.PASSWORD_RECOVER)
  @RequirePermission(Permissions.UPDATE_USER_PASSWORD, 'user')
  @ApiOperation({ summary: 'Recover the password with a recovery code', description: UNAVAILABLE })
  @ApiOkResponse({ type: PasswordStateResponse, description: STATE })
  @ApiPingOneError(400, REFUSED)
  @ApiPingOneError(429, LIMITED)
  @ApiPingOneError(404, USER_NOT_FOUND)
  recover(): never {
    throw new FeatureUnavailable(MediaTypes.PASSWORD_RECOVER, 'Recovering a password with a recovery code');
  }

  /** Other Content-Types: authenticated, then refused with 415 listing the three above. */
  @Post()
  @MediaTypeFallback(MediaTypes.PASSWORD_CHECK, MediaTypes.PASSWORD_UNLOCK, MediaTypes.PASSWORD_FORCE_CHANGE)
  @RequirePermission(Permissions.CHECK_USER_PASSWORD, 'user')
  unsupportedPost(): never {
    throw new Error('unreachable: the media-type guard refuses every request routed here');
  }
}
