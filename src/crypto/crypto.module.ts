import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, InvalidConfiguration } from '../config/app-config.js';
import { CiphertextsRepository } from './ciphertexts.repository.js';
import { ReencryptionService } from './reencryption.service.js';
import { SecretBox } from './secret-box.js';

export const KEY_FILE_NAME = 'encryption.key';

/**
 * The keys from `ENCRYPTION_KEYS`; without them, and only on the embedded database, a key kept in
 * `DATA_DIR` next to the data (created on first start) so that `npm start` needs no setup. On a
 * shared Postgres every instance must decrypt what the others wrote, so the key is required there.
 */
export async function encryptionKeys(config: AppConfig): Promise<string[]> {
  if (config.encryptionKeys.length > 0) return config.encryptionKeys;
  if (config.databaseUrl) {
    throw new InvalidConfiguration([
      'ENCRYPTION_KEYS: required with DATABASE_URL (32 random bytes in base64url, e.g. `openssl rand 32 | basenc --base64url | tr -d =`)',
    ]);
  }
  // An in-memory database (`memory://`) forgets its data on exit, so a key for this run is enough.
  if (config.dataDir.includes('://')) return [randomBytes(32).toString('base64url')];
  const file = join(config.dataDir, KEY_FILE_NAME);
  try {
    return [(await readFile(file, 'utf8')).trim()];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  // 'wx': two processes starting together must not overwrite each other's key.
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  new Logger('Crypto').warn(`ENCRYPTION_KEYS is not set: secrets are encrypted with the key in ${file}`);
  return [(await readFile(file, 'utf8')).trim()];
}

@Global()
@Module({
  providers: [
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: async (config: AppConfig) => new SecretBox(await encryptionKeys(config)) },
    CiphertextsRepository,
    ReencryptionService,
  ],
  exports: [SecretBox, ReencryptionService],
})
export class CryptoModule {}
