import { describe, expect, it } from '@jest/globals';
import { COMMON_PASSWORD_COUNT, isCommonPassword } from '../../src/passwords/common-passwords.js';
import { isSupportedHash } from '../../src/passwords/password-hasher.js';
import { policyViolations, standardPolicy } from '../../src/passwords/password-policy.js';
import { passwordView } from '../../src/passwords/password-state.js';
import type { User } from '../../src/users/user.js';

const policy = standardPolicy('00000000-0000-4000-8000-000000000001');
const profile = { username: 'marianne', email: 'm.dupont@example.com', given: 'Marianne', family: 'Dupont' };
const rules = (password: string) => policyViolations(password, policy, profile, isCommonPassword).map((d) => d.innerError?.rule);

describe('password policy rules', () => {
  it('accepts a password that keeps every rule', () => {
    expect(rules('Tangerine-Dream-42')).toEqual([]);
  });

  it('reports each broken rule once, in a fixed order', () => {
    expect(rules('abc')).toEqual(['length', 'minCharacters', 'minCharacters', 'minCharacters']);
    expect(rules('Aaa1-aaa-bbbb')).toEqual(['maxRepeatedCharacters']);
    expect(rules('Marianne-2024!')).toEqual(['excludesProfileData']);
    expect(rules('X-DUPONT-99-y')).toEqual(['excludesProfileData']);
    expect(rules('x-m.dupont-9Y')).toEqual(['excludesProfileData']);
  });

  it('counts characters, not UTF-16 units, for length', () => {
    const tight = { ...policy, length: { min: 8, max: 9 }, minCharacters: null, maxRepeatedCharacters: null };
    expect(policyViolations('😀😀😀😀😀😀😀😀', tight, profile, () => false)).toEqual([]);
  });

  it('knows tens of thousands of common passwords, case-insensitively', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThan(40_000);
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword('PaSsWoRd')).toBe(true);
    expect(isCommonPassword('qwerty123')).toBe(true);
    expect(isCommonPassword('Tangerine-Dream-42')).toBe(false);
  });

  it('a rule that is off is not checked', () => {
    const lax = { ...policy, excludesCommonlyUsed: false, excludesProfileData: false, minCharacters: null, maxRepeatedCharacters: null };
    expect(policyViolations('marianne', lax, profile, isCommonPassword)).toEqual([]);
  });
});

describe('imported hashes', () => {
  it('recognises argon2 and bcrypt hashes, and nothing else', () => {
    expect(isSupportedHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$w3ZRyd1sNN6pO3zYJrEB9R9QmP2/1hxdZ7qjW7vSlAk')).toBe(true);
    expect(isSupportedHash('$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy')).toBe(true);
    expect(isSupportedHash('$argon2id$v=19$m=19456,p=1,t=2$P08PbXrzwSHqf3LJfIotBA$wiS0OTvnSP86EyDcOjK5tzDB1gYl4b7LkraFgV/2918')).toBe(true);
    expect(isSupportedHash('$2b$10$short')).toBe(false);
    expect(isSupportedHash('Correct-Horse-9-Battery')).toBe(false);
  });
});

describe('password state', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const user = (password: Partial<User['password']>, failures = 0): User =>
    ({
      passwordFailureCount: failures,
      password: { status: 'OK', changedAt: new Date('2026-05-01T00:00:00Z'), lockedAt: null, unlockAt: null, ...password },
    }) as User;

  it('reports failures remaining before the lock', () => {
    expect(passwordView(user({}, 2), policy, now)).toMatchObject({ status: 'OK', failuresRemaining: 3 });
  });

  it('is PASSWORD_LOCKED_OUT until passwordUnlockAt, then OK with a fresh count', () => {
    const locked = user({ lockedAt: now, unlockAt: new Date(now.getTime() + 90_500) }, 5);
    expect(passwordView(locked, policy, now)).toMatchObject({
      status: 'PASSWORD_LOCKED_OUT',
      secondsUntilUnlock: 91,
      failuresRemaining: 0,
    });
    expect(passwordView(locked, policy, new Date(now.getTime() + 90_500))).toMatchObject({ status: 'OK', failuresRemaining: 5 });
  });

  it('expires after maxAgeDays and keeps NO_PASSWORD and MUST_CHANGE_PASSWORD', () => {
    const aged = { ...policy, maxAgeDays: 30 };
    expect(passwordView(user({}), aged, now).status).toBe('PASSWORD_EXPIRED');
    expect(passwordView(user({}), aged, new Date('2026-05-30T00:00:00Z')).status).toBe('OK');
    expect(passwordView(user({ status: 'NO_PASSWORD' }), policy, now).status).toBe('NO_PASSWORD');
    expect(passwordView(user({ status: 'MUST_CHANGE_PASSWORD' }), policy, now).status).toBe('MUST_CHANGE_PASSWORD');
  });
});
