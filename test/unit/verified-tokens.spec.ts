import { describe, expect, it } from '@jest/globals';
import type { Principal } from '../../src/common/authorization/principal.js';
import { VerifiedTokens } from '../../src/auth/verified-tokens.js';

const principal = (clientId: string): Principal => ({
  clientId,
  clientName: clientId,
  environmentId: 'env',
  grants: { from: 'application', applicationId: clientId },
});
const now = 1_800_000_000_000;

describe('VerifiedTokens', () => {
  it('keeps a verified token until its exp, and never longer than the maximum age', () => {
    const tokens = new VerifiedTokens(60_000);
    tokens.set('short', principal('a'), { exp: now / 1000 + 10 }, now);
    tokens.set('long', principal('b'), { exp: now / 1000 + 3600 }, now);
    expect(tokens.get('short', now + 9_999)?.clientId).toBe('a');
    expect(tokens.get('short', now + 10_000)).toBeUndefined();
    expect(tokens.get('long', now + 59_999)?.clientId).toBe('b');
    expect(tokens.get('long', now + 60_000)).toBeUndefined();
  });

  it('does not keep an expired token, nor anything when turned off', () => {
    const tokens = new VerifiedTokens(60_000);
    tokens.set('old', principal('a'), { exp: now / 1000 - 1 }, now);
    expect(tokens.get('old', now)).toBeUndefined();
    const off = new VerifiedTokens(0);
    off.set('t', principal('a'), { exp: now / 1000 + 60 }, now);
    expect(off.get('t', now)).toBeUndefined();
  });

  it("forgets an application's tokens when its access changes, and every token after a lost notification", () => {
    const tokens = new VerifiedTokens(60_000);
    tokens.set('t1', principal('a'), {}, now);
    tokens.set('t2', principal('a'), {}, now);
    tokens.set('t3', principal('b'), {}, now);
    tokens.drop('a');
    expect([tokens.get('t1', now), tokens.get('t2', now), tokens.get('t3', now)?.clientId]).toEqual([undefined, undefined, 'b']);
    tokens.drop(null);
    expect(tokens.size).toBe(0);
  });

  it('forgets the tokens of signing keys no longer accepted, and only those', () => {
    const tokens = new VerifiedTokens(60_000);
    tokens.set('old', principal('a'), { kid: 'k1' }, now);
    tokens.set('new', principal('a'), { kid: 'k2' }, now);
    tokens.set('external', principal('b'), {}, now);
    tokens.dropSignedBy(new Set(['k1']));
    expect([tokens.get('old', now), tokens.get('new', now)?.clientId, tokens.get('external', now)?.clientId]).toEqual([
      undefined,
      'a',
      'b',
    ]);
  });

  it('stays bounded, dropping the oldest first', () => {
    const tokens = new VerifiedTokens(60_000, 2);
    tokens.set('t1', principal('a'), {}, now);
    tokens.set('t2', principal('b'), {}, now);
    tokens.set('t3', principal('c'), {}, now);
    expect(tokens.size).toBe(2);
    expect(tokens.get('t1', now)).toBeUndefined();
    expect(tokens.get('t3', now)?.clientId).toBe('c');
  });
});
