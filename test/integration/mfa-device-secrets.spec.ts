import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MediaTypes as M } from '../../src/common/http/media-types.js';
import { ReencryptionService } from '../../src/crypto/reencryption.service.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { codeAt } from '../support/otp.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import {
  createEnvironment,
  createUser,
  startApp,
  TEST_ENCRYPTION_KEY,
  type TestApp,
  type TestEnvironment,
  usersPath,
} from '../support/test-app.js';

const LEGACY_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * TOTP secrets are encrypted at rest like the other secrets: a new device stores only a ciphertext
 * bound to it; a device stored in plaintext by an earlier version keeps working, and is encrypted
 * (its plaintext cleared) at the next start and by reencrypt-secrets.
 */
describe('TOTP secrets at rest', () => {
  let own: OwnDatabase;
  let t: TestApp;
  let env: TestEnvironment;
  let db: pg.Client;

  beforeAll(async () => {
    own = await ownDatabase(`identity_device_secrets_${process.pid}`);
    t = await startApp({}, own.open);
    env = await createEnvironment(t);
    db = new pg.Client({ connectionString: new URL(`/identity_device_secrets_${process.pid}`, process.env.DATABASE_URL).toString() });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
    await own.drop();
  });

  const row = async (id: string) =>
    (
      await db.query<{ secret: string | null; secretCiphertext: string | null }>(
        'SELECT secret, "secretCiphertext" FROM "MfaDevice" WHERE id = $1',
        [id],
      )
    ).rows[0];
  const check = (app: TestApp, userId: string, deviceId: string, otp: string) =>
    app
      .as(env.token)
      .post(`${usersPath(env)}/${userId}/devices/${deviceId}`)
      .type(M.OTP_CHECK)
      .send(JSON.stringify({ otp }));
  /** A device as an earlier version stored it: the secret in plaintext, no ciphertext. */
  const legacyDevice = async (userId: string) => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO "MfaDevice" (id, "environmentId", "userId", type, secret, "updatedAt") VALUES ($1, $2, $3, 'TOTP', $4, now())`,
      [id, env.environmentId, userId, LEGACY_SECRET],
    );
    return id;
  };

  it('stores a new device secret only encrypted, bound to its device, and checks codes with it', async () => {
    const user = await createUser(t, env, { username: 'encrypted-device@example.com' });
    const { body: device } = await t
      .as(env.token)
      .post(`${usersPath(env)}/${user.id}/devices`)
      .type(M.JSON)
      .send('{"type":"TOTP"}')
      .expect(201);
    const stored = await row(device.id);
    expect(stored?.secret).toBeNull();
    expect(stored?.secretCiphertext).not.toContain(device.secret);
    const box = new SecretBox([TEST_ENCRYPTION_KEY]);
    await expect(box.decrypt(stored?.secretCiphertext as string, `mfa-device-secret:${device.id}`)).resolves.toBe(device.secret);
    await expect(box.decrypt(stored?.secretCiphertext as string, `mfa-device-secret:${randomUUID()}`)).rejects.toThrow();
    await check(t, user.id, device.id, codeAt(device.secret, 0)).expect(200);
  });

  it('keeps a plaintext device of an earlier version working, encrypts it at the next start, and reencrypt-secrets covers the rest', async () => {
    const user = await createUser(t, env, { username: 'legacy-device@example.com' });
    const legacy = await legacyDevice(user.id);
    await check(t, user.id, legacy, codeAt(LEGACY_SECRET, -1)).expect(200);

    const restarted = await startApp({}, own.open);
    try {
      const stored = await row(legacy);
      expect(stored?.secret).toBeNull();
      expect(stored?.secretCiphertext).toEqual(expect.any(String));
      await check(restarted, user.id, legacy, codeAt(LEGACY_SECRET, 0)).expect(200);

      // One written meanwhile by an instance of the earlier version: the command encrypts it and says so.
      const late = await legacyDevice(user.id);
      const report = await restarted.app.get(ReencryptionService).reencryptStale();
      expect(report.mfaDeviceSecrets).toEqual({ reencrypted: 0, current: 2, changed: 0, undecryptable: 0, fromPlaintext: 1 });
      expect((await row(late))?.secret).toBeNull();
      await check(restarted, user.id, late, codeAt(LEGACY_SECRET, 1)).expect(200);
    } finally {
      await restarted.close();
    }
  });
});
