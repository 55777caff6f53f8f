import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';

export interface SigningKeyCiphertext {
  kid: string;
  ciphertext: string;
}

export interface ApplicationCiphertexts {
  id: string;
  clientSecretCiphertext: string | null;
  previousSecretCiphertext: string | null;
  /** Read so that re-encryption can leave it as it was and detect any write in between. */
  updatedAt: Date;
}

/** A TOTP device's secret: encrypted, or in plaintext for a device from before encryption at rest. */
export interface DeviceSecretCiphertext {
  id: string;
  secretCiphertext: string | null;
  /** The legacy plaintext column: encrypted, then cleared. */
  secret: string | null;
  updatedAt: Date;
}

export interface SubscriptionCiphertexts {
  id: string;
  headersCiphertext: string | null;
  signingSecretCiphertext: string;
  previousSigningSecretCiphertext: string | null;
  updatedAt: Date;
}

/**
 * Every column encrypted with `SecretBox`, read and rewritten whole for re-encryption under a new
 * key. Each write is conditional on the ciphertext read, so a secret changed meanwhile is never
 * overwritten with an older one.
 */
@Injectable()
export class CiphertextsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async findSigningKeyCiphertexts(): Promise<SigningKeyCiphertext[]> {
    const rows = await this.txHost.tx.signingKey.findMany({
      where: { privateJwkEncrypted: { not: null } },
      select: { kid: true, privateJwkEncrypted: true },
      orderBy: { kid: 'asc' },
    });
    return rows.map((row) => ({ kid: row.kid, ciphertext: row.privateJwkEncrypted as string }));
  }

  /** False when the row no longer holds `expected` (deleted, or re-encrypted by someone else). */
  async replaceSigningKeyCiphertext(kid: string, expected: string, replacement: string): Promise<boolean> {
    const { count } = await this.txHost.tx.signingKey.updateMany({
      where: { kid, privateJwkEncrypted: expected },
      data: { privateJwkEncrypted: replacement },
    });
    return count === 1;
  }

  /** Applications holding at least one ciphertext, a page at a time in id order. */
  async findApplicationCiphertexts(afterId: string | undefined, limit: number): Promise<ApplicationCiphertexts[]> {
    return this.txHost.tx.application.findMany({
      where: {
        ...(afterId === undefined ? {} : { id: { gt: afterId } }),
        OR: [{ clientSecretCiphertext: { not: null } }, { previousSecretCiphertext: { not: null } }],
      },
      select: { id: true, clientSecretCiphertext: true, previousSecretCiphertext: true, updatedAt: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /**
   * Writes both ciphertexts in one statement, only if the row is exactly as read. `updatedAt` is
   * kept: the secrets are the same, so the application has not changed for its administrators.
   */
  async replaceApplicationCiphertexts(
    read: ApplicationCiphertexts,
    replacement: Pick<ApplicationCiphertexts, 'clientSecretCiphertext' | 'previousSecretCiphertext'>,
  ): Promise<boolean> {
    const { count } = await this.txHost.tx.application.updateMany({
      where: {
        id: read.id,
        clientSecretCiphertext: read.clientSecretCiphertext,
        previousSecretCiphertext: read.previousSecretCiphertext,
        updatedAt: read.updatedAt,
      },
      data: { ...replacement, updatedAt: read.updatedAt },
    });
    return count === 1;
  }

  /** Subscriptions (every one holds a signing secret), a page at a time in id order. */
  async findSubscriptionCiphertexts(afterId: string | undefined, limit: number): Promise<SubscriptionCiphertexts[]> {
    return this.txHost.tx.subscription.findMany({
      where: afterId === undefined ? {} : { id: { gt: afterId } },
      select: { id: true, headersCiphertext: true, signingSecretCiphertext: true, previousSigningSecretCiphertext: true, updatedAt: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /** Writes the three ciphertexts in one statement, only if the row is exactly as read; `updatedAt` is kept. */
  async replaceSubscriptionCiphertexts(
    read: SubscriptionCiphertexts,
    replacement: Pick<SubscriptionCiphertexts, 'headersCiphertext' | 'signingSecretCiphertext' | 'previousSigningSecretCiphertext'>,
  ): Promise<boolean> {
    const { count } = await this.txHost.tx.subscription.updateMany({
      where: {
        id: read.id,
        headersCiphertext: read.headersCiphertext,
        signingSecretCiphertext: read.signingSecretCiphertext,
        previousSigningSecretCiphertext: read.previousSigningSecretCiphertext,
        updatedAt: read.updatedAt,
      },
      data: { ...replacement, updatedAt: read.updatedAt },
    });
    return count === 1;
  }

  /** Devices holding a secret (encrypted or plaintext), a page at a time in id order. */
  async findDeviceSecrets(afterId: string | undefined, limit: number, plaintextOnly = false): Promise<DeviceSecretCiphertext[]> {
    return this.txHost.tx.mfaDevice.findMany({
      where: {
        ...(afterId === undefined ? {} : { id: { gt: afterId } }),
        ...(plaintextOnly ? { secret: { not: null } } : { OR: [{ secret: { not: null } }, { secretCiphertext: { not: null } }] }),
      },
      select: { id: true, secret: true, secretCiphertext: true, updatedAt: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /**
   * Stores the device's new ciphertext and clears any plaintext, in one statement, only if the row
   * is exactly as read; `updatedAt` is kept (the device has not changed for its user).
   */
  async replaceDeviceSecret(read: DeviceSecretCiphertext, secretCiphertext: string): Promise<boolean> {
    const { count } = await this.txHost.tx.mfaDevice.updateMany({
      where: { id: read.id, secret: read.secret, secretCiphertext: read.secretCiphertext, updatedAt: read.updatedAt },
      data: { secretCiphertext, secret: null, updatedAt: read.updatedAt },
    });
    return count === 1;
  }
}
