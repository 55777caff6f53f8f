import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidConfiguration, loadConfig } from '../../src/config/app-config.js';
import { encryptionKeys, KEY_FILE_NAME } from '../../src/crypto/crypto.module.js';
import { SecretBox } from '../../src/crypto/secret-box.js';

const key = () => randomBytes(32).toString('base64url');

describe('encryptionKeys(config)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'identity-keys-')), 'data');
  });
  afterEach(async () => {
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  const config = (env: NodeJS.ProcessEnv) => loadConfig({ DATA_DIR: dataDir, ...env });

  it('uses the configured keys, in order, and writes no file', async () => {
    const keys = [key(), key()];
    await expect(encryptionKeys(config({ ENCRYPTION_KEYS: keys.join(',') }))).resolves.toEqual(keys);
    await expect(stat(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses to start on a shared Postgres without configured keys', async () => {
    const promise = encryptionKeys(config({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x' }));
    await expect(promise).rejects.toThrow(InvalidConfiguration);
    await expect(promise).rejects.toThrow(/ENCRYPTION_KEYS/);
    await expect(stat(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('on the embedded database creates <dataDir>/encryption.key (mode 0600) once, then reuses it', async () => {
    const [first] = await encryptionKeys(config({}));
    const file = join(dataDir, KEY_FILE_NAME);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect(() => new SecretBox([first])).not.toThrow();

    await expect(encryptionKeys(config({}))).resolves.toEqual([first]);
  });

  it('for an in-memory database (memory://) gives a fresh key and writes nothing', async () => {
    const memory = loadConfig({ DATA_DIR: 'memory://' });
    const [one] = await encryptionKeys(memory);
    const [two] = await encryptionKeys(memory);
    expect(Buffer.from(one, 'base64url')).toHaveLength(32);
    expect(two).not.toBe(one);
    await expect(stat('memory:')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
