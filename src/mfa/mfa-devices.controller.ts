import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { UserParams } from '../common/params/path-params.js';
import { CreateDeviceDto, DeviceParams, OtpCheckDto } from './dto/requests.dto.js';
import { MfaPresenter } from './mfa.presenter.js';
import { MfaDevicesService } from './mfa-devices.service.js';
import { OtpCheckService } from './otp-check.service.js';

type Resource = Record<string, unknown>;

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
  async create(@Param() { envId, userId }: UserParams, @Body() _body: CreateDeviceDto): Promise<Resource> {
    return this.present.createdDevice(await this.devices.createTotp(envId, userId));
  }

  @Get()
  @RequirePermission(Permissions.READ_DEVICE, 'user')
  async list(@Param() { envId, userId }: UserParams): Promise<Resource> {
    return this.present.devices(envId, userId, await this.devices.list(envId, userId));
  }

  @Get(':deviceId')
  @RequirePermission(Permissions.READ_DEVICE, 'user')
  async get(@Param() { envId, userId, deviceId }: DeviceParams): Promise<Resource> {
    return this.present.device(await this.devices.get(envId, userId, deviceId));
  }

  @Delete(':deviceId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_DEVICE, 'user')
  async delete(@Param() { envId, userId, deviceId }: DeviceParams): Promise<void> {
    await this.devices.delete(envId, userId, deviceId);
  }

  @Post(':deviceId')
  @HttpCode(200)
  @Consumes(MediaTypes.OTP_CHECK)
  @RequirePermission(Permissions.CHECK_DEVICE, 'user')
  async checkOtp(
    @Param() { envId, userId, deviceId }: DeviceParams,
    @Body() body: OtpCheckDto,
    @Ctx() ctx: RequestContext,
  ): Promise<Resource> {
    return this.present.device(await this.otp.check(envId, userId, deviceId, body.otp, ctx));
  }
}
