import { Injectable, Logger } from '@nestjs/common';
import {
  applicationSecretPurpose,
  mfaDeviceSecretPurpose,
  signingKeyPurpose,
  subscriptionHeadersPurpose,
  subscriptionSigningSecretPurpose,
} from './purposes.js';
import {
  type ApplicationCiphertexts,
  CiphertextsRepository,
  type DeviceSecretCiphertext,
  type SubscriptionCiphertexts,
} from './ciphertexts.repository.js';
import { SecretBox, UndecryptableSecret } from './secret-box.js';

const APPLICATION_PAGE_SIZE = 500;

/** Counts of ciphertexts, by what re-encryption did with them. */
export interface ReencryptionCounts {
  reencrypted: number;
  /** Already encrypted with the current key. */
  current: number;
  /** Changed by someone else between the read and the write: left alone, a second run takes them. */
  changed: number;
  /** Made with a key that is no longer configured: lost unless that key is configured again. */
  undecryptable: number;
}

/** TOTP secrets, which devices from before encryption at rest may still hold in plaintext. */
export interface DeviceSecretCounts extends ReencryptionCounts {
  /** Plaintext secrets encrypted (and the plaintext cleared) by this run. */
  fromPlaintext: number;
}

export interface ReencryptionReport {
  signingKeys: ReencryptionCounts;
  applicationSecrets: ReencryptionCounts;
  /** Subscriptions' endpoint headers and signing secrets. */
  subscriptionSecrets: ReencryptionCounts;
  mfaDeviceSecrets: DeviceSecretCounts;
}

/**
 * Re-encrypts, with the current (first) encryption key, every ciphertext made with an older one,
 * so that the older key can then be removed from `ENCRYPTION_KEYS`. Each row is rewritten by its
 * own conditional statement: a run holds no lock for long, and can be interrupted and run again.
 */
@Injectable()
export class ReencryptionService {
  private readonly logger = new Logger(ReencryptionService.name);

  constructor(
    private readonly ciphertexts: CiphertextsRepository,
    private readonly box: SecretBox,
  ) {}

  async reencryptStale(): Promise<ReencryptionReport> {
    return {
      signingKeys: await this.reencryptSigningKeys(),
      applicationSecrets: await this.reencryptApplicationSecrets(),
      subscriptionSecrets: await this.reencryptSubscriptionSecrets(),
      mfaDeviceSecrets: await this.reencryptDeviceSecrets(false),
    };
  }

  /**
   * Encrypts the TOTP secrets still stored in plaintext (devices created before encryption at
   * rest, or by an instance of an older version during an upgrade) and clears the plaintext. Run
   * by every instance at start, and by `reencrypt-secrets`.
   */
  encryptPlaintextDeviceSecrets(): Promise<DeviceSecretCounts> {
    return this.reencryptDeviceSecrets(true);
  }

  private async reencryptDeviceSecrets(plaintextOnly: boolean): Promise<DeviceSecretCounts> {
    const counts: DeviceSecretCounts = { ...emptyCounts(), fromPlaintext: 0 };
    let afterId: string | undefined;
    for (;;) {
      const page = await this.ciphertexts.findDeviceSecrets(afterId, APPLICATION_PAGE_SIZE, plaintextOnly);
      for (const row of page) await this.reencryptDevice(row, counts);
      if (page.length < APPLICATION_PAGE_SIZE) return counts;
      afterId = page[page.length - 1].id;
    }
  }

  private async reencryptDevice(row: DeviceSecretCiphertext, counts: DeviceSecretCounts): Promise<void> {
    const purpose = mfaDeviceSecretPurpose(row.id);
    // A row holding both (an encryption interrupted before this version's single statement cannot
    // leave one): the ciphertext is authoritative, and rewriting it clears the plaintext.
    if (row.secretCiphertext === null && row.secret !== null) {
      const ciphertext = await this.box.encrypt(row.secret, purpose);
      if (await this.ciphertexts.replaceDeviceSecret(row, ciphertext)) counts.fromPlaintext += 1;
      else counts.changed += 1;
      return;
    }
    if (row.secretCiphertext === null) return;
    const renewed = await this.reencrypt(row.secretCiphertext, purpose, counts, `TOTP device ${row.id}`);
    if (renewed === undefined) return;
    if (await this.ciphertexts.replaceDeviceSecret(row, renewed)) counts.reencrypted += 1;
    else counts.changed += 1;
  }

  private async reencryptSigningKeys(): Promise<ReencryptionCounts> {
    const counts = emptyCounts();
    for (const { kid, ciphertext } of await this.ciphertexts.findSigningKeyCiphertexts()) {
      const replacement = await this.reencrypt(ciphertext, signingKeyPurpose(kid), counts, `signing key ${kid}`);
      if (replacement === undefined) continue;
      if (await this.ciphertexts.replaceSigningKeyCiphertext(kid, ciphertext, replacement)) counts.reencrypted += 1;
      else counts.changed += 1;
    }
    return counts;
  }

  private async reencryptApplicationSecrets(): Promise<ReencryptionCounts> {
    const counts = emptyCounts();
    let afterId: string | undefined;
    for (;;) {
      const page = await this.ciphertexts.findApplicationCiphertexts(afterId, APPLICATION_PAGE_SIZE);
      for (const row of page) await this.reencryptApplication(row, counts);
      if (page.length < APPLICATION_PAGE_SIZE) return counts;
      afterId = page[page.length - 1].id;
    }
  }

  private async reencryptApplication(row: ApplicationCiphertexts, counts: ReencryptionCounts): Promise<void> {
    const purpose = applicationSecretPurpose(row.id);
    const renew = (ciphertext: string | null, column: string) =>
      ciphertext === null ? undefined : this.reencrypt(ciphertext, purpose, counts, `application ${row.id} (${column})`);
    const current = await renew(row.clientSecretCiphertext, 'secret');
    const previous = await renew(row.previousSecretCiphertext, 'previous secret');
    const renewed = [current, previous].filter((c) => c !== undefined).length;
    if (renewed === 0) return;
    const written = await this.ciphertexts.replaceApplicationCiphertexts(row, {
      clientSecretCiphertext: current ?? row.clientSecretCiphertext,
      previousSecretCiphertext: previous ?? row.previousSecretCiphertext,
    });
    if (written) counts.reencrypted += renewed;
    else counts.changed += renewed;
  }

  private async reencryptSubscriptionSecrets(): Promise<ReencryptionCounts> {
    const counts = emptyCounts();
    let afterId: string | undefined;
    for (;;) {
      const page = await this.ciphertexts.findSubscriptionCiphertexts(afterId, APPLICATION_PAGE_SIZE);
      for (const row of page) await this.reencryptSubscription(row, counts);
      if (page.length < APPLICATION_PAGE_SIZE) return counts;
      afterId = page[page.length - 1].id;
    }
  }

  private async reencryptSubscription(row: SubscriptionCiphertexts, counts: ReencryptionCounts): Promise<void> {
    const label = (column: string) => `subscription ${row.id} (${column})`;
    const signing = subscriptionSigningSecretPurpose(row.id);
    const headers =
      row.headersCiphertext === null
        ? undefined
        : await this.reencrypt(row.headersCiphertext, subscriptionHeadersPurpose(row.id), counts, label('headers'));
    const current = await this.reencrypt(row.signingSecretCiphertext, signing, counts, label('signing secret'));
    const previous =
      row.previousSigningSecretCiphertext === null
        ? undefined
        : await this.reencrypt(row.previousSigningSecretCiphertext, signing, counts, label('previous signing secret'));
    const renewed = [headers, current, previous].filter((c) => c !== undefined).length;
    if (renewed === 0) return;
    const written = await this.ciphertexts.replaceSubscriptionCiphertexts(row, {
      headersCiphertext: headers ?? row.headersCiphertext,
      signingSecretCiphertext: current ?? row.signingSecretCiphertext,
      previousSigningSecretCiphertext: previous ?? row.previousSigningSecretCiphertext,
    });
    if (written) counts.reencrypted += renewed;
    else counts.changed += renewed;
  }

  /** The new ciphertext, or undefined when there is nothing to write (counted in `counts`). */
  private async reencrypt(ciphertext: string, purpose: string, counts: ReencryptionCounts, label: string): Promise<string | undefined> {
    if (!this.box.isStale(ciphertext)) {
      counts.current += 1;
      return undefined;
    }
    try {
      return await this.box.encrypt(await this.box.decrypt(ciphertext, purpose), purpose);
    } catch (error) {
      if (!(error instanceof UndecryptableSecret)) throw error;
      this.logger.warn(`${label}: ${error.message}`);
      counts.undecryptable += 1;
      return undefined;
    }
  }
}

function emptyCounts(): ReencryptionCounts {
  return { reencrypted: 0, current: 0, changed: 0, undecryptable: 0 };
}
