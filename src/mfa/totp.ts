import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

/** RFC 6238 as authenticator apps implement it by default: HMAC-SHA1, 6 digits, 30-second steps. */
export const TOTP_ALGORITHM = 'SHA1';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Codes of the step before and the step after the current one are accepted, for clock drift. */
export const TOTP_WINDOW = 1;
/** 160 bits: the HMAC-SHA1 key length RFC 4226 recommends. */
const SECRET_BYTES = 20;

/** A fresh random secret, base32 as authenticator apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The RFC 6238 time step (counter) that `at` falls in. */
export function timeStepAt(at: Date): number {
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: at.getTime() });
}

/** The `otpauth://totp/...` URI an authenticator app imports (usually from a QR code). */
export function totpKeyUri(secret: string, issuer: string, accountName: string): string {
  return new TOTP({
    issuer,
    label: accountName,
    secret: Secret.fromBase32(secret),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/**
 * The latest time step within `window` steps of `at` whose code is `otp`, or null when none is.
 * The latest, so that the step recorded as used is the highest one the code could stand for.
 * Every step of the window is computed and compared in constant time, whatever matches.
 */
export function matchingTimeStep(secret: string, otp: string, at: Date, window: number = TOTP_WINDOW): number | null {
  const key = Secret.fromBase32(secret);
  const given = Buffer.from(otp, 'utf8');
  const current = timeStepAt(at);
  let match: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    const expected = Buffer.from(HOTP.generate({ secret: key, algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, counter: step }), 'utf8');
    if (given.length === expected.length && timingSafeEqual(given, expected)) match = step;
  }
  return match;
}
