import { Injectable } from '@nestjs/common';
import { mfaDeviceSecretPurpose } from '../crypto/purposes.js';
import { SecretBox } from '../crypto/secret-box.js';
import type { StoredDeviceSecret } from './mfa-devices.repository.js';

/**
 * TOTP secrets are encrypted at rest like every other secret (SecretBox, bound to their device):
 * a copy of the database alone does not give anyone the codes of every user.
 */
@Injectable()
export class DeviceSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(deviceId: string, secret: string): Promise<string> {
    return this.box.encrypt(secret, mfaDeviceSecretPurpose(deviceId));
  }

  /** The base32 secret; a device from before encryption at rest may still hold it in plaintext. */
  async open(deviceId: string, stored: StoredDeviceSecret): Promise<string> {
    if (stored.ciphertext !== null) return this.box.decrypt(stored.ciphertext, mfaDeviceSecretPurpose(deviceId));
    if (stored.plaintext !== null) return stored.plaintext;
    throw new Error(`device ${deviceId} holds no secret`);
  }
}
