import type { CreatedTotpDevice, MfaDevice } from './device.js';
import type { CreatedDeviceResponse, DeviceListResponse, DeviceResponse, MfaSettingsResponse } from './dto/mfa.response.js';
import type { MfaSettings } from './mfa-settings.js';

export function devicesHref(baseUrl: string, environmentId: string, userId: string): string {
  return `${baseUrl}/v1/environments/${environmentId}/users/${userId}/devices`;
}

/** PingOne's HAL representation of a device. Never the secret: see `toCreatedDeviceResource`. */
export function toDeviceResource(device: MfaDevice, baseUrl: string): DeviceResponse {
  const environment = `${baseUrl}/v1/environments/${device.environmentId}`;
  return {
    _links: {
      self: { href: `${devicesHref(baseUrl, device.environmentId, device.userId)}/${device.id}` },
      environment: { href: environment },
      user: { href: `${environment}/users/${device.userId}` },
    },
    id: device.id,
    type: device.type,
    status: 'ACTIVE' as const,
    user: { id: device.userId },
    environment: { id: device.environmentId },
    createdAt: device.createdAt.toISOString(),
    updatedAt: device.updatedAt.toISOString(),
  };
}

/** The answer to the creation only: the device plus its secret and key URI, which no later read returns. */
export function toCreatedDeviceResource(created: CreatedTotpDevice, baseUrl: string): CreatedDeviceResponse {
  return { ...toDeviceResource(created.device, baseUrl), secret: created.secret, keyUri: created.keyUri };
}

export function toDeviceCollection(environmentId: string, userId: string, devices: MfaDevice[], baseUrl: string): DeviceListResponse {
  return {
    _links: { self: { href: devicesHref(baseUrl, environmentId, userId) } },
    _embedded: { devices: devices.map((device) => toDeviceResource(device, baseUrl)) },
    count: devices.length,
    size: devices.length,
  };
}

/** `updatedAt` is left out while the environment runs on the defaults (nothing was ever saved). */
export function toMfaSettingsResource(settings: MfaSettings, baseUrl: string): MfaSettingsResponse {
  const environment = `${baseUrl}/v1/environments/${settings.environmentId}`;
  return {
    _links: { self: { href: `${environment}/mfaSettings` }, environment: { href: environment } },
    environment: { id: settings.environmentId },
    lockout: { failureCount: settings.lockout.failureCount, durationSeconds: settings.lockout.durationSeconds },
    ...(settings.updatedAt ? { updatedAt: settings.updatedAt.toISOString() } : {}),
  };
}
