import { describe, expect, it } from '@jest/globals';
import { matchingTimeStep, newTotpSecret, timeStepAt, totpKeyUri } from '../../src/mfa/totp.js';

// RFC 6238 appendix B: the SHA-1 key is the ASCII "12345678901234567890"; its 8-digit codes end in
// the 6-digit codes below. Independent of the library the service uses.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
];
const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
  it.each(RFC_VECTORS)('at %d s the code %s matches the current step', (seconds, code) => {
    expect(matchingTimeStep(RFC_SECRET, code, at(seconds))).toBe(Math.floor(seconds / 30));
  });

  it('accepts the codes of the steps either side, and names the step each code belongs to', () => {
    const [seconds, code] = RFC_VECTORS[1];
    const step = Math.floor(seconds / 30);
    expect(matchingTimeStep(RFC_SECRET, code, at(seconds + 30))).toBe(step);
    expect(matchingTimeStep(RFC_SECRET, code, at(seconds - 30))).toBe(step);
  });

  it('refuses a code two steps away', () => {
    const [seconds, code] = RFC_VECTORS[2];
    expect(matchingTimeStep(RFC_SECRET, code, at(seconds + 60))).toBeNull();
    expect(matchingTimeStep(RFC_SECRET, code, at(seconds - 60))).toBeNull();
    expect(matchingTimeStep(RFC_SECRET, code, at(seconds + 60), 2)).toBe(Math.floor(seconds / 30));
  });

  it.each([
    ['a wrong code', '287083'],
    ['the 8-digit code', '94287082'],
    ['a prefix', '28708'],
    ['padding', ' 287082'],
    ['an empty string', ''],
  ])('refuses %s', (_, otp) => {
    expect(matchingTimeStep(RFC_SECRET, otp, at(59))).toBeNull();
  });

  it('computes the time step from the clock', () => {
    expect(timeStepAt(at(59))).toBe(1);
    expect(timeStepAt(at(60))).toBe(2);
    expect(timeStepAt(new Date(29_999))).toBe(0);
  });

  it('makes 160-bit base32 secrets, a new one each time', () => {
    const secrets = new Set(Array.from({ length: 50 }, newTotpSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  });

  it('builds the key URI an authenticator app imports, escaping issuer and account name', () => {
    const uri = totpKeyUri(RFC_SECRET, 'Acme Corp', 'ann@example.com');
    expect(uri).toBe(
      `otpauth://totp/Acme%20Corp:ann%40example.com?issuer=Acme%20Corp&secret=${RFC_SECRET}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(totpKeyUri(RFC_SECRET, 'a:b', 'c?d')).toMatch(/^otpauth:\/\/totp\/a%3Ab:c%3Fd\?issuer=a%3Ab&/);
  });
});
