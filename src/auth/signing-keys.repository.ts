import { Injectable } from '@nestjs/common';
import type { JWK } from 'jose';
import { TransactionHost } from '../database/transaction-host.js';

export interface StoredSigningKey {
  kid: string;
  algorithm: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

@Injectable()
export class SigningKeysRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** Active keys, oldest first, so that every instance signs with the same one. */
  async findActive(): Promise<StoredSigningKey[]> {
    const rows = await this.txHost.tx.signingKey.findMany({ where: { active: true }, orderBy: [{ createdAt: 'asc' }, { kid: 'asc' }] });
    return rows.map((row) => ({
      kid: row.kid,
      algorithm: row.algorithm,
      privateJwk: row.privateJwk as JWK,
      publicJwk: row.publicJwk as JWK,
    }));
  }

  async insert(key: StoredSigningKey): Promise<void> {
    await this.txHost.tx.signingKey.create({
      data: { kid: key.kid, algorithm: key.algorithm, privateJwk: key.privateJwk, publicJwk: key.publicJwk },
    });
  }
}
