import type { EventSubject } from '../events/event-catalog.js';

export type MfaDeviceType = 'TOTP';

/** A user's MFA device as the service reasons about it. The secret is not part of it. */
export interface MfaDevice {
  id: string;
  environmentId: string;
  userId: string;
  type: MfaDeviceType;
  createdAt: Date;
  updatedAt: Date;
}

/** A device just created: the only moment its secret leaves the service. */
export interface CreatedTotpDevice {
  device: MfaDevice;
  secret: string;
  keyUri: string;
}

/** The user a device is created for, with what the key URI shows: issuer and account name. */
export interface DeviceHolder extends EventSubject {
  environmentName: string;
}
