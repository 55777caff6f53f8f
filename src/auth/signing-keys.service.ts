import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, type JWTVerifyGetKey } from 'jose';
import { SigningKeysRepository, type StoredSigningKey } from './signing-keys.repository.js';

export const SIGNING_ALGORITHM = 'ES256';

interface SigningKey {
  kid: string;
  key: Awaited<ReturnType<typeof importJWK>>;
}

/**
 * The keys tokens are signed with. Created on first use and kept in the database, so every
 * instance of the service issues and accepts the same tokens.
 */
@Injectable()
export class SigningKeysService {
  private signing?: Promise<SigningKey>;
  private verification?: Promise<{ jwks: JWK[]; getKey: JWTVerifyGetKey }>;

  constructor(private readonly repository: SigningKeysRepository) {}

  signingKey(): Promise<SigningKey> {
    this.signing ??= this.loadSigningKey().catch((error: unknown) => {
      this.signing = undefined;
      throw error;
    });
    return this.signing;
  }

  async publicJwks(): Promise<JWK[]> {
    return (await this.verificationKeys()).jwks;
  }

  async verificationKeys(): Promise<{ jwks: JWK[]; getKey: JWTVerifyGetKey }> {
    this.verification ??= this.loadVerificationKeys().catch((error: unknown) => {
      this.verification = undefined;
      throw error;
    });
    return this.verification;
  }

  /** Another instance may have created a key since this one loaded its set. */
  refresh(): void {
    this.verification = undefined;
  }

  private async loadVerificationKeys(): Promise<{ jwks: JWK[]; getKey: JWTVerifyGetKey }> {
    await this.signingKey();
    const jwks = (await this.repository.findActive()).map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.algorithm, use: 'sig' }));
    return { jwks, getKey: createLocalJWKSet({ keys: jwks }) };
  }

  private async loadSigningKey(): Promise<SigningKey> {
    let [active] = await this.repository.findActive();
    if (!active) {
      await this.repository.insert(await this.generate());
      // Two instances starting together may both insert; both then sign with the oldest.
      [active] = await this.repository.findActive();
    }
    if (!active) throw new Error('no signing key after creating one');
    return { kid: active.kid, key: await importJWK(active.privateJwk, active.algorithm) };
  }

  private async generate(): Promise<StoredSigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    return {
      kid: randomUUID(),
      algorithm: SIGNING_ALGORITHM,
      privateJwk: await exportJWK(privateKey),
      publicJwk: await exportJWK(publicKey),
    };
  }
}
