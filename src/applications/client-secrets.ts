import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.js';
import { applicationSecretPurpose } from '../crypto/purposes.js';

/** A secret as stored: its hash authenticates, its ciphertext lets an administrator read it back. */
export interface StoredSecret {
  hash: string;
  ciphertext: string;
}

/**
 * Worker secrets are 256 random bits, so a fast hash is as strong as a slow one here: nobody can
 * guess a preimage. (User passwords, which people choose, get argon2id.)
 */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function clientSecretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashClientSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export async function sealClientSecret(box: SecretBox, applicationId: string, secret: string): Promise<StoredSecret> {
  return { hash: hashClientSecret(secret), ciphertext: await box.encrypt(secret, applicationSecretPurpose(applicationId)) };
}
