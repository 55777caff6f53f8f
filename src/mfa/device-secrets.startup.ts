import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ReencryptionService } from '../crypto/reencryption.service.js';

/**
 * At every start, TOTP secrets still in plaintext (devices from before encryption at rest, or
 * created meanwhile by an instance of an older version during an upgrade) are encrypted and the
 * plaintext cleared. A failure leaves them readable as they were and is only logged: the
 * `reencrypt-secrets` command does the same and reports what is left.
 */
@Injectable()
export class DeviceSecretsAtStart implements OnApplicationBootstrap {
  private readonly logger = new Logger('DeviceSecrets');

  constructor(private readonly reencryption: ReencryptionService) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const { fromPlaintext, changed } = await this.reencryption.encryptPlaintextDeviceSecrets();
      if (fromPlaintext > 0) this.logger.log(`${fromPlaintext} TOTP secrets encrypted, their plaintext removed`);
      if (changed > 0) this.logger.warn(`${changed} TOTP secrets changed while being encrypted: run reencrypt-secrets`);
    } catch (error) {
      this.logger.warn(`TOTP secrets in plaintext could not be encrypted now: ${(error as Error).message}`);
    }
  }
}
