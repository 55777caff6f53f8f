import { createHash } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class UndecryptableSecret extends Error {}

/**
 * Encrypts secrets at rest as compact JWE (`dir`, A256GCM) with keys from configuration. The first
 * key encrypts; every key decrypts, found by the `kid` in the JWE header, so the key can be rotated.
 * Each ciphertext is bound to a purpose (e.g. `application-secret:<id>`): one row's ciphertext
 * copied into another row does not decrypt there.
 */
export class SecretBox {
  private readonly keys: Map<string, Uint8Array>;
  private readonly currentKid: string;

  constructor(base64urlKeys: readonly string[]) {
    if (base64urlKeys.length === 0) throw new Error('SecretBox needs at least one key');
    this.keys = new Map(
      base64urlKeys.map((encoded) => {
        const key = Buffer.from(encoded, 'base64url');
        if (key.length !== 32) throw new Error('encryption keys must be 32 bytes');
        return [keyId(key), new Uint8Array(key)] as const;
      }),
    );
    this.currentKid = keyId(Buffer.from(base64urlKeys[0], 'base64url'));
  }

  async encrypt(plaintext: string, purpose: string): Promise<string> {
    return new CompactEncrypt(encoder.encode(plaintext))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: this.currentKid, purpose })
      .encrypt(this.keys.get(this.currentKid) as Uint8Array);
  }

  async decrypt(ciphertext: string, purpose: string): Promise<string> {
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(
        ciphertext,
        (header) => {
          const key = header.kid === undefined ? undefined : this.keys.get(header.kid);
          if (!key) throw new UndecryptableSecret('encrypted with a key that is not configured');
          return key;
        },
        { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] },
      );
      if (protectedHeader.purpose !== purpose) throw new UndecryptableSecret('ciphertext of another purpose');
      return decoder.decode(plaintext);
    } catch (error) {
      if (error instanceof UndecryptableSecret) throw error;
      throw new UndecryptableSecret(`cannot decrypt: ${(error as Error).name}`);
    }
  }

  /** Whether the ciphertext was made with a key other than the current one. */
  isStale(ciphertext: string): boolean {
    try {
      const header = JSON.parse(Buffer.from(ciphertext.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: string };
      return header.kid !== this.currentKid;
    } catch {
      return true;
    }
  }
}

/** Names a key without revealing it: the first 16 characters of its SHA-256, base64url. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}
