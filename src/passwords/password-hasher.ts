import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';

/**
 * argon2id with OWASP's Password Storage Cheat Sheet baseline: 19 MiB of memory, 2 iterations,
 * 1 lane. A hash takes ~20-40 ms of one core here; the bench records the figure.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
// PHC string format; implementations order the parameters differently (m,t,p or m,p,t).
const ARGON2 = /^\$argon2(id|i|d)\$v=\d+\$[mtp]=\d+(,[mtp]=\d+){2}\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** Whether an imported value is a hash this service can verify (else it is a cleartext password). */
export function isSupportedHash(value: string): boolean {
  return ARGON2.test(value) || BCRYPT.test(value);
}

@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Verified against when a user has no password, so that case takes one hash's time too. */
  private decoy = '';

  async onModuleInit(): Promise<void> {
    this.decoy = await this.hash('a password nobody has');
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  /** Verifies against an argon2 or bcrypt hash; with no hash, spends the same time and fails. */
  async verify(hash: string | null, password: string): Promise<boolean> {
    if (hash === null) {
      await argon2.verify(this.decoy, password).catch(() => false);
      return false;
    }
    if (BCRYPT.test(hash)) return bcrypt.compare(password, hash);
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** An imported bcrypt hash, or argon2 with weaker parameters, is replaced after a successful check. */
  needsRehash(hash: string): boolean {
    return BCRYPT.test(hash) || argon2.needsRehash(hash, ARGON2_OPTIONS);
  }
}
