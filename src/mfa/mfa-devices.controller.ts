import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { UserParams } from '../common/params/path-params.js';
import { CreatedDeviceResponse, DeviceListResponse, DeviceResponse } from './dto/mfa.response.js';
import { CreateDeviceDto, DeviceParams, OtpCheckDto } from './dto/requests.dto.js';
import { MfaPresenter } from './mfa.presenter.js';
import { MfaDevicesService } from './mfa-devices.service.js';
import { OtpCheckService } from './otp-check.service.js';

const USER_NOT_FOUND = 'The user does not exist in the environment.';
const DEVICE_NOT_FOUND = 'The user or the device does not exist.';

@ApiTags('MFA')
@Controller('v1/environments/:envId/users/:userId/devices')
export class MfaDevicesController {
  constructor(
    private readonly devices: MfaDevicesService,
    private readonly otp: OtpCheckService,
    private readonly present: MfaPresenter,
  ) {}

  /** `type` is TOTP, the only type served; the DTO has validated it. */
  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_DEVICE, 'user')
  @ApiOperation({ summary: 'Create a TOTP device' })
  @ApiCreatedResponse({ type: CreatedDeviceResponse, description: 'The device, with its secret and key URI: shown this once.' })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async create(
    @Param() { envId, userId }: UserParams,
    @Body() _body: CreateDeviceDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedDeviceResponse> {
    return this.present.createdDevice(await this.devices.createTotp(envId, userId, ctx));
  }

  @Get()
  @RequirePermission(Permissions.READ_DEVICE, 'user')
  @ApiOperation({ summary: "List a user's devices" })
  @ApiOkResponse({ type: DeviceListResponse })
  @ApiPingOneError(404, USER_NOT_FOUND)
  async list(@Param() { envId, userId }: UserParams): Promise<DeviceListResponse> {
    return this.present.devices(envId, userId, await this.devices.list(envId, userId));
  }

  @Get(':deviceId')
  @RequirePermission(Permissions.READ_DEVICE, 'user')
  @ApiOperation({ summary: 'Read a device' })
  @ApiOkResponse({ type: DeviceResponse })
  @ApiPingOneError(404, DEVICE_NOT_FOUND)
  async get(@Param() { envId, userId, deviceId }: DeviceParams): Promise<DeviceResponse> {
    return this.present.device(await this.devices.get(envId, userId, deviceId));
  }

  @Delete(':deviceId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_DEVICE, 'user')
  @ApiOperation({ summary: 'Delete a device' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiPingOneError(404, DEVICE_NOT_FOUND)
  async delete(@Param() { envId, userId, deviceId }: DeviceParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.devices.delete(envId, userId, deviceId, ctx);
  }

  @Post(':deviceId')
  @HttpCode(200)
  @Consumes(MediaTypes.OTP_CHECK)
  @RequirePermission(Permissions.CHECK_DEVICE, 'user')
  @ApiOperation({ summary: 'Check a one-time passcode (failures count towards the MFA lockout)' })
  @ApiOkResponse({ type: DeviceResponse, description: 'The passcode is valid.' })
  @ApiPingOneError(400, 'A wrong passcode (`INVALID_OTP` with `failuresRemaining`), or a locked account (`ACCOUNT_LOCKED`).')
  @ApiPingOneError(404, DEVICE_NOT_FOUND)
  @ApiPingOneError(429)
  async checkOtp(
    @Param() { envId, userId, deviceId }: DeviceParams,
    @Body() body: OtpCheckDto,
    @Ctx() ctx: RequestContext,
  ): Promise<DeviceResponse> {
    return this.present.device(await this.otp.check(envId, userId, deviceId, body.otp, ctx));
  }
}
