import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { CreatedTotpDevice, MfaDevice } from './device.js';
import { toCreatedDeviceResource, toDeviceCollection, toDeviceResource, toMfaSettingsResource } from './mfa.mapper.js';
import type { MfaSettings } from './mfa-settings.js';
import type { CreatedDeviceResponse, DeviceListResponse, DeviceResponse, MfaSettingsResponse } from './dto/mfa.response.js';

/** Builds the HAL bodies of the MFA API with absolute links under the public base URL. */
@Injectable()
export class MfaPresenter {
  private readonly baseUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.baseUrl = config.publicBaseUrl;
  }

  device(device: MfaDevice): DeviceResponse {
    return toDeviceResource(device, this.baseUrl);
  }

  createdDevice(created: CreatedTotpDevice): CreatedDeviceResponse {
    return toCreatedDeviceResource(created, this.baseUrl);
  }

  devices(environmentId: string, userId: string, devices: MfaDevice[]): DeviceListResponse {
    return toDeviceCollection(environmentId, userId, devices, this.baseUrl);
  }

  settings(settings: MfaSettings): MfaSettingsResponse {
    return toMfaSettingsResource(settings, this.baseUrl);
  }
}
