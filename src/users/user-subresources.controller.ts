import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Reach } from '../common/authorization/access.js';
import { PermissionReach } from '../common/authorization/caller-access.decorator.js';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { UserParams } from '../common/params/path-params.js';
import { MfaEnabledBodyDto, UserPopulationBodyDto } from './dto/user-subresources.dto.js';
import { LinkedAccountListResponse, UserMfaEnabledResponse, UserPopulationResponse } from './dto/user-subresources.response.js';
import { UserPresenter } from './user.presenter.js';
import { UsersService } from './users.service.js';

const USER_NOT_FOUND = 'The user does not exist in the environment.';

/** The parts of a user PingOne serves at URLs of their own, each linked from the user. */
@ApiTags('Users')
@Controller('v1/environments/:envId/users/:userId')
export class UserSubresourcesController {
  constructor(
    private readonly users: UsersService,
    private readonly present: UserPresenter,
  ) {}

  @Get('population')
  @RequirePermission(Permissions.READ_USER, 'user')
  @ApiOperation({ summary: "Read the user's population" })
  @ApiOkResponse({ type: UserPopulationResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async getPopulation(@Param() { envId, userId }: UserParams): Promise<UserPopulationResponse> {
    return this.present.population(await this.users.get(envId, userId));
  }

  @Put('population')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_USER, 'userMove')
  @ApiOperation({
    summary: 'Move the user to another population',
    description: 'The move a PATCH of `population.id` makes: both populations must be within the caller’s reach; records USER.UPDATED.',
  })
  @ApiOkResponse({ type: UserPopulationResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async movePopulation(
    @Param() { envId, userId }: UserParams,
    @Body() body: UserPopulationBodyDto,
    @Ctx() ctx: RequestContext,
    @PermissionReach() reach: Reach,
  ): Promise<UserPopulationResponse> {
    return this.present.population(await this.users.movePopulation(envId, userId, body.id, ctx, reach));
  }

  @Get('mfaEnabled')
  @RequirePermission(Permissions.READ_USER, 'user')
  @ApiOperation({ summary: 'Read whether MFA is enabled for the user' })
  @ApiOkResponse({ type: UserMfaEnabledResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async getMfaEnabled(@Param() { envId, userId }: UserParams): Promise<UserMfaEnabledResponse> {
    return this.present.mfaEnabled(await this.users.get(envId, userId));
  }

  @Put('mfaEnabled')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_USER, 'user')
  @ApiOperation({
    summary: 'Enable or disable MFA for the user',
    description: 'The change a PATCH of `mfaEnabled` makes; records USER.UPDATED.',
  })
  @ApiOkResponse({ type: UserMfaEnabledResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async setMfaEnabled(
    @Param() { envId, userId }: UserParams,
    @Body() body: MfaEnabledBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<UserMfaEnabledResponse> {
    return this.present.mfaEnabled(await this.users.setMfaEnabled(envId, userId, body.mfaEnabled, ctx));
  }

  @Get('linkedAccounts')
  @RequirePermission(Permissions.READ_USER, 'user')
  @ApiOperation({ summary: "List the user's linked accounts", description: 'The service links no external accounts yet: always empty.' })
  @ApiOkResponse({ type: LinkedAccountListResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async linkedAccounts(@Param() { envId, userId }: UserParams): Promise<LinkedAccountListResponse> {
    return this.present.linkedAccounts(await this.users.get(envId, userId));
  }
}
