import { createHash } from 'node:crypto';
import type { Principal } from '../common/authorization/principal.js';

interface Entry {
  principal: Principal;
  /** Epoch milliseconds: the token's `exp`, or the maximum age, whichever comes first. */
  expiresAt: number;
  /** The id of this service's key that signed it (absent for other issuers' tokens). */
  kid?: string;
}

/**
 * Tokens already verified, so that a token's signature is checked once rather than on every
 * request it makes. Keyed by the token's SHA-256 (the token itself is never kept), valid until the
 * token expires and never longer than `maxAgeMs`, bounded in size (the oldest entries go first).
 * What a caller may do is not cached here: that is the AccessResolver's, which learns of every
 * change to an application at commit. Entries of an application are also dropped then, so a
 * disabled or deleted client's tokens are checked afresh, and so are the tokens of a signing key
 * the service stops accepting.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(token: string, now = Date.now()): Principal | undefined {
    if (this.maxAgeMs === 0) return undefined;
    const key = digest(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  /** `exp`: the token's expiry in seconds since the epoch (already verified); `kid`: this service's key that signed it. */
  set(token: string, principal: Principal, { exp, kid }: { exp?: number; kid?: string }, now = Date.now()): void {
    if (this.maxAgeMs === 0) return;
    const expiresAt = Math.min(exp === undefined ? Infinity : exp * 1000, now + this.maxAgeMs);
    if (expiresAt <= now) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(digest(token), { principal, expiresAt, ...(kid === undefined ? {} : { kid }) });
  }

  /** Forgets the tokens signed by keys the service no longer accepts. */
  dropSignedBy(kids: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries) if (entry.kid !== undefined && kids.has(entry.kid)) this.entries.delete(key);
  }

  /** Forgets the tokens of one application (null: of every caller). */
  drop(applicationId: string | null): void {
    if (applicationId === null) {
      this.entries.clear();
      return;
    }
    for (const [key, { principal }] of this.entries) {
      if (
        principal.clientId === applicationId ||
        (principal.grants.from === 'application' && principal.grants.applicationId === applicationId)
      ) {
        this.entries.delete(key);
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
