import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, type JWTVerifyGetKey } from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SecretBox } from '../crypto/secret-box.js';
import { TransactionHost } from '../database/transaction-host.js';
import { type EncryptedSigningKey, type PublicSigningKey, SigningKeysRepository } from './signing-keys.repository.js';
import { signingKeyPurpose } from '../crypto/purposes.js';

export const SIGNING_ALGORITHM = 'ES256';

/**
 * How long an instance uses the keys it read before reading them again: the longest an instance
 * goes on signing with a key another instance has retired, and the longest it goes on publishing
 * and accepting a key past its retention.
 */
export const SIGNING_KEYS_REFRESH_MS = 60_000;

/** How far the clocks of instances and token holders may disagree. */
export const CLOCK_SKEW_MS = 60_000;

/** Overrides `SIGNING_KEYS_REFRESH_MS` for one instance (tests that cannot wait a minute). */
export const SIGNING_KEYS_REFRESH_INTERVAL = Symbol('SIGNING_KEYS_REFRESH_INTERVAL');

/**
 * How long a retired key keeps verifying: the last token signed with it (by an instance that has
 * not yet re-read its keys) is issued up to one refresh interval after retirement and lives
 * `tokenTtlSeconds`, judged by clocks that may be off by the skew.
 */
export function retiredKeyRetentionMs(tokenTtlSeconds: number): number {
  return tokenTtlSeconds * 1000 + SIGNING_KEYS_REFRESH_MS + CLOCK_SKEW_MS;
}

interface SigningKey {
  kid: string;
  key: Awaited<ReturnType<typeof importJWK>>;
}

interface VerificationKeys {
  jwks: JWK[];
  getKey: JWTVerifyGetKey;
}

/**
 * The keys tokens are signed with, kept in the database (private parts encrypted) so that every
 * instance issues and accepts the same tokens. Exactly one key signs, the newest active one; a
 * rotation retires it, and a retired key is published and accepted until every token it signed
 * has expired.
 */
@Injectable()
export class SigningKeysService {
  private readonly logger = new Logger(SigningKeysService.name);
  private readonly signing: Reloading<SigningKey>;
  private readonly verification: Reloading<VerificationKeys>;
  /** The kids of the last set loaded, to tell which a reload withdrew. */
  private published = new Set<string>();
  private readonly withdrawnListeners: Array<(kids: ReadonlySet<string>) => void> = [];

  constructor(
    private readonly repository: SigningKeysRepository,
    private readonly transactions: TransactionHost,
    private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SIGNING_KEYS_REFRESH_INTERVAL) refreshMs: number = SIGNING_KEYS_REFRESH_MS,
  ) {
    this.signing = new Reloading((previous) => this.loadSigningKey(previous), refreshMs);
    this.verification = new Reloading(() => this.loadVerificationKeys(), refreshMs);
  }

  signingKey(): Promise<SigningKey> {
    return this.signing.get();
  }

  async publicJwks(): Promise<JWK[]> {
    return (await this.verificationKeys()).jwks;
  }

  verificationKeys(): Promise<VerificationKeys> {
    return this.verification.get();
  }

  /** Called with the keys a reload found no longer accepted (their retention passed), so their verified tokens are forgotten. */
  onWithdrawn(listener: (kids: ReadonlySet<string>) => void): void {
    this.withdrawnListeners.push(listener);
  }

  /**
   * Another instance may have created or rotated a key since this one loaded its set. Called for
   * every token with an unknown kid; callers during a reload share it (see `Reloading`), so a
   * flood of made-up key ids costs at most one small query in flight at a time.
   */
  refresh(): void {
    this.verification.invalidate();
  }

  /**
   * Retires every active key and makes a new one the signing key; deletes retired keys whose
   * tokens have all expired. Other instances switch within `SIGNING_KEYS_REFRESH_MS`.
   */
  async rotate(): Promise<string> {
    const key = await this.generate();
    await this.transactions.run(async () => {
      await this.repository.lockForKeyChange();
      // Read after the lock: a rotation that waited for another must not backdate its retirement.
      const now = Date.now();
      await this.repository.retireActive(new Date(now));
      await this.repository.insert(key);
      await this.repository.deleteRetiredBefore(new Date(now - retiredKeyRetentionMs(this.config.tokenTtlSeconds)));
    });
    this.signing.invalidate({ evenInFlight: true });
    this.verification.invalidate({ evenInFlight: true });
    this.logger.log(`signing key rotated: ${key.kid} now signs`);
    return key.kid;
  }

  private async loadSigningKey(previous: SigningKey | undefined): Promise<SigningKey> {
    // On every load, not only the first: an instance of an older version may still write plaintext.
    await this.encryptPlaintextKeys();
    const stored = (await this.repository.findSigningKeyWithPrivateJwk()) ?? (await this.createFirstKey());
    if (stored.kid === previous?.kid) return previous;
    if (stored.privateJwkEncrypted === null) throw new Error(`signing key ${stored.kid} is stored without its encrypted private key`);
    const privateJwk = JSON.parse(await this.box.decrypt(stored.privateJwkEncrypted, signingKeyPurpose(stored.kid))) as JWK;
    return { kid: stored.kid, key: await importJWK(privateJwk, stored.algorithm) };
  }

  private async loadVerificationKeys(): Promise<VerificationKeys> {
    // A service that has never signed still publishes a key, so the first token verifies everywhere.
    await this.signingKey();
    const retiredSince = new Date(Date.now() - retiredKeyRetentionMs(this.config.tokenTtlSeconds));
    const jwks = (await this.repository.findPublished(retiredSince)).map(toJwk);
    const kids = new Set(jwks.map((jwk) => jwk.kid as string));
    const withdrawn = new Set([...this.published].filter((kid) => !kids.has(kid)));
    this.published = kids;
    if (withdrawn.size > 0) for (const listener of this.withdrawnListeners) listener(withdrawn);
    return { jwks, getKey: createLocalJWKSet({ keys: jwks }) };
  }

  /** "If no active key, insert one", serialised so that instances starting together make one key. */
  private createFirstKey(): Promise<PublicSigningKey & { privateJwkEncrypted: string | null }> {
    return this.transactions.run(async () => {
      await this.repository.lockForKeyChange();
      const existing = await this.repository.findSigningKeyWithPrivateJwk();
      if (existing) return existing;
      const key = await this.generate();
      await this.repository.insert(key);
      return key;
    });
  }

  private async encryptPlaintextKeys(): Promise<void> {
    for (const legacy of await this.repository.findLegacyPlaintextKeys()) {
      const ciphertext = await this.box.encrypt(JSON.stringify(legacy.privateJwk), signingKeyPurpose(legacy.kid));
      if (await this.repository.replacePlaintextKey(legacy.kid, ciphertext)) {
        this.logger.log(`signing key ${legacy.kid}: private key encrypted, plaintext removed`);
      }
    }
  }

  private async generate(): Promise<EncryptedSigningKey> {
    const kid = randomUUID();
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    return {
      kid,
      algorithm: SIGNING_ALGORITHM,
      privateJwkEncrypted: await this.box.encrypt(JSON.stringify(await exportJWK(privateKey)), signingKeyPurpose(kid)),
      publicJwk: await exportJWK(publicKey),
    };
  }
}

function toJwk(key: PublicSigningKey): JWK {
  return { ...key.publicJwk, kid: key.kid, alg: key.algorithm, use: 'sig' };
}

/**
 * A value loaded on first use and loaded again once older than `maxAgeMs`. Callers during a load
 * share it; a failed load is forgotten so that the next caller tries again.
 */
class Reloading<T> {
  private current?: { value: Promise<T>; loadedAt: number; settled: boolean };
  private last?: T;

  constructor(
    private readonly load: (previous: T | undefined) => Promise<T>,
    private readonly maxAgeMs: number,
  ) {}

  get(): Promise<T> {
    if (this.current && performance.now() - this.current.loadedAt < this.maxAgeMs) return this.current.value;
    const entry = {
      value: this.load(this.last).then((value) => {
        this.last = value;
        entry.settled = true;
        return value;
      }),
      loadedAt: performance.now(),
      settled: false,
    };
    this.current = entry;
    void entry.value.catch(() => {
      if (this.current === entry) this.current = undefined;
    });
    return entry.value;
  }

  /**
   * Forgets the value. A load still in flight is kept (it reads the database as of about now, and
   * callers flooding in with unknown key ids then share it), unless the caller has just changed
   * the keys itself.
   */
  invalidate({ evenInFlight = false } = {}): void {
    if (evenInFlight || this.current?.settled) this.current = undefined;
  }
}
