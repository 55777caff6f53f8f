import { Injectable } from '@nestjs/common';
import type { JWK } from 'jose';
import { TransactionHost } from '../database/transaction-host.js';
import { Prisma } from '../generated/prisma/client.js';

/** Any number will do as long as no other advisory lock of the service uses it. */
const SIGNING_KEYS_LOCK = 727073692;

export interface PublicSigningKey {
  kid: string;
  algorithm: string;
  publicJwk: JWK;
}

export interface EncryptedSigningKey extends PublicSigningKey {
  /** The private JWK as JSON, encrypted by `SecretBox` for the purpose `signing-key:<kid>`. */
  privateJwkEncrypted: string;
}

/** A key stored before encryption at rest: its private JWK in plaintext. */
export interface LegacySigningKey {
  kid: string;
  privateJwk: JWK;
}

@Injectable()
export class SigningKeysRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** Serialises key creation and rotation across instances until the caller's transaction ends. */
  async lockForKeyChange(): Promise<void> {
    await this.txHost.tx.$executeRaw`SELECT pg_advisory_xact_lock(${SIGNING_KEYS_LOCK}::bigint)`;
  }

  /**
   * The key that signs: the newest active one, with its encrypted private part (null only for a
   * key still in plaintext).
   */
  async findSigningKeyWithPrivateJwk(): Promise<(PublicSigningKey & { privateJwkEncrypted: string | null }) | null> {
    const row = await this.txHost.tx.signingKey.findFirst({
      where: { active: true },
      orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }],
      select: { kid: true, algorithm: true, publicJwk: true, privateJwkEncrypted: true },
    });
    return row && { ...row, publicJwk: row.publicJwk as JWK };
  }

  /** Keys whose signatures are accepted: the active ones and those retired at or after `retiredSince`. */
  async findPublished(retiredSince: Date): Promise<PublicSigningKey[]> {
    const rows = await this.txHost.tx.signingKey.findMany({
      where: { OR: [{ active: true }, { retiredAt: { gte: retiredSince } }] },
      orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }],
      select: { kid: true, algorithm: true, publicJwk: true },
    });
    return rows.map((row) => ({ ...row, publicJwk: row.publicJwk as JWK }));
  }

  async insert(key: EncryptedSigningKey): Promise<void> {
    await this.txHost.tx.signingKey.create({
      data: { kid: key.kid, algorithm: key.algorithm, privateJwkEncrypted: key.privateJwkEncrypted, publicJwk: key.publicJwk },
    });
  }

  async retireActive(retiredAt: Date): Promise<number> {
    const { count } = await this.txHost.tx.signingKey.updateMany({ where: { active: true }, data: { active: false, retiredAt } });
    return count;
  }

  /** Deletes retired keys no token can still need (and those retired before retirement had a date). */
  async deleteRetiredBefore(cutoff: Date): Promise<number> {
    const { count } = await this.txHost.tx.signingKey.deleteMany({
      where: { active: false, OR: [{ retiredAt: { lt: cutoff } }, { retiredAt: null }] },
    });
    return count;
  }

  /** The one read of plaintext private keys: used only to encrypt them. */
  async findLegacyPlaintextKeys(): Promise<LegacySigningKey[]> {
    const rows = await this.txHost.tx.signingKey.findMany({
      where: { privateJwk: { not: Prisma.DbNull } },
      select: { kid: true, privateJwk: true },
    });
    return rows.map((row) => ({ kid: row.kid, privateJwk: row.privateJwk as JWK }));
  }

  /**
   * Stores the ciphertext and clears the plaintext in one statement, only while the plaintext is
   * still there: of several instances encrypting the same row at once, one writes and the others
   * find nothing left to do.
   */
  async replacePlaintextKey(kid: string, privateJwkEncrypted: string): Promise<boolean> {
    const { count } = await this.txHost.tx.signingKey.updateMany({
      where: { kid, privateJwk: { not: Prisma.DbNull } },
      data: { privateJwkEncrypted, privateJwk: Prisma.DbNull },
    });
    return count === 1;
  }
}
