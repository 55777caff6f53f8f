import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SecretBox, UndecryptableSecret } from '../../src/crypto/secret-box.js';

const newKey = () => randomBytes(32).toString('base64url');
const PURPOSE = 'application-secret:0b3f6a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

/** Flips one character of a base64url segment (0: header … 4: tag) to another valid one. */
function tamper(ciphertext: string, segment: number): string {
  const parts = ciphertext.split('.');
  const part = parts[segment];
  const i = Math.floor(part.length / 2);
  parts[segment] = part.slice(0, i) + (part[i] === 'A' ? 'B' : 'A') + part.slice(i + 1);
  return parts.join('.');
}

describe('SecretBox', () => {
  it('decrypts what it encrypted, for the same purpose', async () => {
    const box = new SecretBox([newKey()]);
    const ciphertext = await box.encrypt('s3cret value', PURPOSE);
    await expect(box.decrypt(ciphertext, PURPOSE)).resolves.toBe('s3cret value');
    expect(box.isStale(ciphertext)).toBe(false);
  });

  it('refuses a ciphertext presented for another purpose', async () => {
    const box = new SecretBox([newKey()]);
    const ciphertext = await box.encrypt('s3cret value', PURPOSE);
    await expect(box.decrypt(ciphertext, 'application-secret:another')).rejects.toThrow(UndecryptableSecret);
  });

  it('with [new, old] keys decrypts ciphertexts of the old key and encrypts with the new one', async () => {
    const [oldKey, nextKey] = [newKey(), newKey()];
    const before = await new SecretBox([oldKey]).encrypt('made before the rotation', PURPOSE);
    const rotated = new SecretBox([nextKey, oldKey]);

    await expect(rotated.decrypt(before, PURPOSE)).resolves.toBe('made before the rotation');
    expect(rotated.isStale(before)).toBe(true);

    const after = await rotated.encrypt('made after', PURPOSE);
    expect(rotated.isStale(after)).toBe(false);
    await expect(new SecretBox([nextKey]).decrypt(after, PURPOSE)).resolves.toBe('made after');
    await expect(new SecretBox([oldKey]).decrypt(after, PURPOSE)).rejects.toThrow(UndecryptableSecret);
  });

  it('cannot decrypt without the key the ciphertext was made with', async () => {
    const ciphertext = await new SecretBox([newKey()]).encrypt('s3cret value', PURPOSE);
    const other = new SecretBox([newKey()]);
    await expect(other.decrypt(ciphertext, PURPOSE)).rejects.toThrow(UndecryptableSecret);
    expect(other.isStale(ciphertext)).toBe(true);
  });

  it('refuses a tampered ciphertext, whichever part is changed', async () => {
    const box = new SecretBox([newKey()]);
    const ciphertext = await box.encrypt('s3cret value', PURPOSE);
    for (const segment of [0, 2, 3, 4]) {
      await expect(box.decrypt(tamper(ciphertext, segment), PURPOSE)).rejects.toThrow(UndecryptableSecret);
    }
  });

  it('never shows the plaintext in the ciphertext, not even encoded', async () => {
    const plaintext = 'plain-text-that-must-not-leak-0123456789';
    const ciphertext = await new SecretBox([newKey()]).encrypt(plaintext, PURPOSE);
    expect(ciphertext).not.toContain(plaintext);
    expect(ciphertext).not.toContain(Buffer.from(plaintext).toString('base64url').slice(0, 20));
    expect(Buffer.from(ciphertext.split('.')[3], 'base64url').toString('latin1')).not.toContain(plaintext.slice(0, 8));
  });

  it('encrypts the same plaintext differently each time', async () => {
    const box = new SecretBox([newKey()]);
    expect(await box.encrypt('same', PURPOSE)).not.toBe(await box.encrypt('same', PURPOSE));
  });
});
