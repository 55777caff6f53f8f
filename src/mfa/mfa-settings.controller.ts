import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { MfaSettingsResponse } from './dto/mfa.response.js';
import { MfaSettingsBodyDto } from './dto/requests.dto.js';
import { MfaPresenter } from './mfa.presenter.js';
import { MfaSettingsService } from './mfa-settings.service.js';

@ApiTags('MFA')
@Controller('v1/environments/:envId/mfaSettings')
export class MfaSettingsController {
  constructor(
    private readonly settings: MfaSettingsService,
    private readonly present: MfaPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_MFA_SETTINGS)
  @ApiOperation({ summary: "Read the environment's MFA settings" })
  @ApiOkResponse({ type: MfaSettingsResponse })
  async get(@Param() { envId }: EnvironmentParams): Promise<MfaSettingsResponse> {
    return this.present.settings(await this.settings.get(envId));
  }

  @Put()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_MFA_SETTINGS)
  @ApiOperation({ summary: 'Replace the MFA lockout settings' })
  @ApiOkResponse({ type: MfaSettingsResponse })
  async replace(
    @Param() { envId }: EnvironmentParams,
    @Body() body: MfaSettingsBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<MfaSettingsResponse> {
    return this.present.settings(await this.settings.replaceLockout(envId, body.lockout, ctx));
  }
}
