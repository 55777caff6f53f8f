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

/**
 * The most an imported hash may cost to verify (docs/lockout.md, "Imported hashes"). A hash
 * carries its own cost, and every check pays it: without a bound, one import and a few checks
 * tie up the hashing threads (argon2) or the event loop (bcryptjs is JavaScript) of the service.
 * The bounds admit RFC 9106's second recommendation (64 MiB, 3 passes, 4 lanes), OWASP's
 * argon2id alternatives, and bcrypt up to cost 12.
 */
export const IMPORTED_HASH_LIMITS = {
  /** argon2 memory, in KiB (64 MiB). */
  argon2MemoryKib: 65_536,
  /** argon2 passes. */
  argon2Iterations: 10,
  /** argon2 lanes. */
  argon2Parallelism: 4,
  /** argon2 memory × passes, in KiB: 64 MiB over 4 passes. */
  argon2Work: 262_144,
  /** bcrypt's log2 of its rounds. */
  bcryptCost: 12,
} as const;

/** One bound an imported hash exceeds. */
export interface HashCostExcess {
  parameter: string;
  value: number;
  maximumValue: number;
}

/** The bounds a supported hash exceeds (none for one within them, or for a value that is no hash). */
export function hashCostExcesses(hash: string): HashCostExcess[] {
  const limits = IMPORTED_HASH_LIMITS;
  const over = (parameter: string, value: number, maximumValue: number) =>
    value > maximumValue ? [{ parameter, value, maximumValue }] : [];
  if (BCRYPT.test(hash)) return over('cost', Number(hash.slice(4, 6)), limits.bcryptCost);
  if (!ARGON2.test(hash)) return [];
  const params = new Map((hash.split('$')[3] ?? '').split(',').map((pair) => [pair.slice(0, 1), Number(pair.slice(2))] as const));
  // A parameter named twice (and so another missing) cannot be trusted: treat it as the worst case.
  const [m, t, p] = ['m', 't', 'p'].map((name) => params.get(name) ?? Number.POSITIVE_INFINITY);
  return [
    ...over('m', m, limits.argon2MemoryKib),
    ...over('t', t, limits.argon2Iterations),
    ...over('p', p, limits.argon2Parallelism),
    ...over('m*t', m * t, limits.argon2Work),
  ];
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
