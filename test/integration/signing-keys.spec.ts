import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose';
import { SigningKeysRepository } from '../../src/auth/signing-keys.repository.js';
import { retiredKeyRetentionMs, SigningKeysService } from '../../src/auth/signing-keys.service.js';
import { signingKeyPurpose } from '../../src/crypto/purposes.js';
import { ReencryptionService } from '../../src/crypto/reencryption.service.js';
import { insertSubscription } from '../support/subscriptions.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import {
  createEnvironment,
  createUser,
  startApp,
  TEST_ENCRYPTION_KEY,
  type TestApp,
  type TestEnvironment,
  tokenFor,
  usersPath,
} from '../support/test-app.js';

// Signing keys are global to a database, so this file rotates, expires and re-encrypts them on
// databases of its own, where no other suite's tokens depend on them.

const kidOf = (token: string) => decodeProtectedHeader(token).kid;
const testBox = new SecretBox([TEST_ENCRYPTION_KEY]);

describe('signing keys', () => {
  let database: OwnDatabase;
  let a: TestApp;
  let b: TestApp;
  let env: TestEnvironment;

  beforeAll(async () => {
    database = await ownDatabase(`identity_signing_keys_${process.pid}`);
    [a, b] = await Promise.all([startApp({}, database.open), startApp({}, database.open)]);
    env = await createEnvironment(a);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  const prisma = () => a.app.get(PrismaService);
  const listUsers = (t: TestApp, token: string) => t.as(token).get(usersPath(env));
  const jwksKids = async (t: TestApp) =>
    ((await t.http.get(`/${env.environmentId}/as/jwks`).expect(200)).body.keys as JWK[]).map((k) => k.kid);
  const activeKids = async () => (await prisma().signingKey.findMany({ where: { active: true }, select: { kid: true } })).map((k) => k.kid);

  /** A service instance of its own (its own caches) on `a`'s database, re-reading keys every `refreshMs`. */
  const instance = (refreshMs: number) =>
    new SigningKeysService(a.app.get(SigningKeysRepository), a.app.get(TransactionHost), a.app.get(SecretBox), a.config, refreshMs);

  it('stores the private key only encrypted, bound to its kid, and publishes only the public key', async () => {
    const kid = kidOf(env.token) as string;
    const row = await prisma().signingKey.findUniqueOrThrow({ where: { kid } });
    expect(row.privateJwk).toBeNull();
    expect(row.privateJwkEncrypted).toEqual(expect.any(String));
    expect(row.publicJwk).not.toHaveProperty('d');

    const privateJwk = JSON.parse(await testBox.decrypt(row.privateJwkEncrypted as string, signingKeyPurpose(kid))) as JWK;
    expect(privateJwk.d).toEqual(expect.any(String));
    expect(row.privateJwkEncrypted).not.toContain(privateJwk.d);
    await expect(testBox.decrypt(row.privateJwkEncrypted as string, signingKeyPurpose('another-kid'))).rejects.toThrow();

    const jwks = (await a.http.get(`/${env.environmentId}/as/jwks`).expect(200)).body.keys as JWK[];
    expect(jwks.map((k) => k.kid)).toContain(kid);
    expect(jwks.every((k) => k.d === undefined)).toBe(true);
  });

  it('encrypts a key stored in plaintext before encryption at rest when instances load their keys, once', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const legacy = { kid: `legacy-${randomBytes(4).toString('hex')}`, privateJwk: await exportJWK(privateKey) };
    await prisma().signingKey.create({ data: { ...legacy, algorithm: 'ES256', publicJwk: await exportJWK(publicKey) } });

    // Two upgraded instances start together and both find the plaintext row (the newest active key).
    const upgraded = await Promise.all([startApp({}, database.open), startApp({}, database.open)]);
    try {
      const tokens = await Promise.all(upgraded.map((t) => tokenFor(t, env)));
      expect(tokens.map(kidOf)).toEqual([legacy.kid, legacy.kid]);

      const row = await prisma().signingKey.findUniqueOrThrow({ where: { kid: legacy.kid } });
      expect(row.privateJwk).toBeNull();
      expect(JSON.parse(await testBox.decrypt(row.privateJwkEncrypted as string, signingKeyPurpose(legacy.kid)))).toEqual(
        legacy.privateJwk,
      );
      for (const token of tokens) await listUsers(a, token).expect(200);
      // Whoever comes later finds nothing left to encrypt and leaves the ciphertext alone.
      await expect(a.app.get(SigningKeysRepository).replacePlaintextKey(legacy.kid, 'another ciphertext')).resolves.toBe(false);
      const again = await prisma().signingKey.findUniqueOrThrow({ where: { kid: legacy.kid } });
      expect(again.privateJwkEncrypted).toBe(row.privateJwkEncrypted);
    } finally {
      await Promise.all(upgraded.map((t) => t.close()));
    }
    const plaintextRows = await prisma().signingKey.count({ where: { privateJwkEncrypted: null } });
    expect(plaintextRows).toBe(0);
  });

  it('after a rotation signs with the new key, and tokens of the old key keep working on every instance', async () => {
    const oldToken = await tokenFor(a, env);
    const oldKid = kidOf(oldToken) as string;

    const newKid = await a.app.get(SigningKeysService).rotate();

    expect(newKid).not.toBe(oldKid);
    expect(await activeKids()).toEqual([newKid]);
    const retired = await prisma().signingKey.findUniqueOrThrow({ where: { kid: oldKid } });
    expect(retired).toMatchObject({ active: false, retiredAt: expect.any(Date) });

    await listUsers(a, oldToken).expect(200);
    await listUsers(b, oldToken).expect(200);
    const newToken = await tokenFor(a, env);
    expect(kidOf(newToken)).toBe(newKid);
    // b has not re-read its keys yet, but takes the unknown kid as a cue to.
    await listUsers(b, newToken).expect(200);

    for (const t of [a, b]) expect(await jwksKids(t)).toEqual(expect.arrayContaining([oldKid, newKid]));
  });

  it('drops a retired key from the JWKS, and refuses its tokens, once its retention has passed', async () => {
    const oldToken = await tokenFor(a, env);
    const oldKid = kidOf(oldToken) as string;
    await a.app.get(SigningKeysService).rotate();
    await listUsers(a, oldToken).expect(200);

    const retention = retiredKeyRetentionMs(a.config.tokenTtlSeconds);
    // Just inside the retention the key still verifies...
    await prisma().signingKey.update({ where: { kid: oldKid }, data: { retiredAt: new Date(Date.now() - retention + 30_000) } });
    a.app.get(SigningKeysService).refresh();
    expect(await jwksKids(a)).toContain(oldKid);
    await listUsers(a, oldToken).expect(200);

    // ...and just past it, once the instance re-reads its keys, it is gone (the token itself has not expired).
    await prisma().signingKey.update({ where: { kid: oldKid }, data: { retiredAt: new Date(Date.now() - retention - 1000) } });
    a.app.get(SigningKeysService).refresh();
    expect(await jwksKids(a)).not.toContain(oldKid);
    const refused = await listUsers(a, oldToken).expect(401);
    expect(refused.body).toMatchObject({ code: expect.any(String) });
    await listUsers(a, await tokenFor(a, env)).expect(200);

    // The next rotation deletes it; the key it retires stays.
    const signing = kidOf(await tokenFor(a, env)) as string;
    await a.app.get(SigningKeysService).rotate();
    await expect(prisma().signingKey.count({ where: { kid: oldKid } })).resolves.toBe(0);
    await expect(prisma().signingKey.count({ where: { kid: signing, active: false } })).resolves.toBe(1);
  });

  it('re-reads keys periodically: another instance signs with the new key within its refresh window', async () => {
    const refreshMs = 1000;
    const other = instance(refreshMs);
    const before = (await other.signingKey()).kid;
    expect(await activeKids()).toEqual([before]);
    expect((await other.publicJwks()).map((k) => k.kid)).toContain(before);

    const newKid = await a.app.get(SigningKeysService).rotate();
    // Within the window the instance still signs with the key it read (which stays valid)...
    expect((await other.signingKey()).kid).toBe(before);
    expect((await other.publicJwks()).map((k) => k.kid)).not.toContain(newKid);

    await sleep(refreshMs + 100);
    // ...and after it, with the new one, without being told.
    expect((await other.signingKey()).kid).toBe(newKid);
    expect((await other.publicJwks()).map((k) => k.kid)).toEqual(expect.arrayContaining([before, newKid]));

    // Expiry is picked up the same way, without an unknown kid to prompt it.
    const retention = retiredKeyRetentionMs(a.config.tokenTtlSeconds);
    await prisma().signingKey.update({ where: { kid: before }, data: { retiredAt: new Date(Date.now() - retention - 1000) } });
    expect((await other.publicJwks()).map((k) => k.kid)).toContain(before);
    await sleep(refreshMs + 100);
    expect((await other.publicJwks()).map((k) => k.kid)).not.toContain(before);
  });

  it('two instances rotating at the same time leave exactly one active key, and both sign with valid keys', async () => {
    const rotations = await Promise.all(Array.from({ length: 6 }, (_, i) => [a, b][i % 2].app.get(SigningKeysService).rotate()));

    expect(new Set(rotations).size).toBe(6);
    const active = await activeKids();
    expect(active).toHaveLength(1);
    expect(rotations).toContain(active[0]);
    const retired = await prisma().signingKey.count({ where: { kid: { in: rotations }, active: false, retiredAt: { not: null } } });
    expect(retired).toBe(5);

    for (const issuer of [a, b]) {
      const token = await tokenFor(issuer, env);
      expect(rotations).toContain(kidOf(token));
      for (const verifier of [a, b]) await listUsers(verifier, token).expect(200);
    }
  });

  it('instances finding no active key at the same time create exactly one', async () => {
    await prisma().signingKey.updateMany({ where: { active: true }, data: { active: false, retiredAt: new Date() } });
    const fresh = Array.from({ length: 4 }, () => instance(60_000));

    const kids = (await Promise.all(fresh.map((s) => s.signingKey()))).map((k) => k.kid);

    const active = await activeKids();
    expect(active).toHaveLength(1);
    expect(kids).toEqual(Array.from({ length: 4 }, () => active[0]));
  });
});

describe('reencrypt-secrets', () => {
  const NEW_KEY = randomBytes(32).toString('base64url');
  let database: OwnDatabase;
  let old: TestApp;
  let env: TestEnvironment;

  beforeAll(async () => {
    database = await ownDatabase(`identity_reencrypt_${process.pid}`);
    old = await startApp({}, database.open);
    env = await createEnvironment(old);
    await old.app.get(SigningKeysService).rotate(); // a retired key to re-encrypt as well
  });
  afterAll(async () => {
    await old?.close();
    await database?.drop();
  });

  const prisma = () => old.app.get(PrismaService);

  it('re-encrypts every ciphertext of an older key with the first key, after which the older key is not needed', async () => {
    const purpose = `application-secret:${env.clientId}`;
    await prisma().application.update({
      where: { id: env.clientId },
      data: {
        clientSecretCiphertext: await testBox.encrypt('the current secret', purpose),
        previousSecretCiphertext: await testBox.encrypt('the previous secret', purpose),
      },
    });
    const second = await createEnvironment(old);
    await prisma().application.update({
      where: { id: second.clientId },
      data: {
        clientSecretCiphertext: await testBox.encrypt('second secret', `application-secret:${second.clientId}`),
        previousSecretCiphertext: null,
      },
    });
    const subscription = await insertSubscription(old, {
      environmentId: env.environmentId,
      url: 'https://hooks.example.com/identity',
      actionTypes: ['USER.CREATED'],
      headers: { authorization: 'Bearer receiver-token' },
    });
    const holder = await createUser(old, env, { username: 'reencrypted-device@example.com' });
    const { body: device } = await old
      .as(env.token)
      .post(`${usersPath(env)}/${holder.id}/devices`)
      .type('application/json')
      .send('{"type":"TOTP"}')
      .expect(201);
    const before = await prisma().application.findUniqueOrThrow({ where: { id: env.clientId } });
    const signingKeys = await prisma().signingKey.count();
    expect(signingKeys).toBe(2);

    const rotated = await startApp({ encryptionKeys: [NEW_KEY, TEST_ENCRYPTION_KEY] }, database.open);
    try {
      const report = await rotated.app.get(ReencryptionService).reencryptStale();
      expect(report).toEqual({
        signingKeys: { reencrypted: 2, current: 0, changed: 0, undecryptable: 0 },
        applicationSecrets: { reencrypted: 3, current: 0, changed: 0, undecryptable: 0 },
        subscriptionSecrets: { reencrypted: 2, current: 0, changed: 0, undecryptable: 0 },
        mfaDeviceSecrets: { reencrypted: 1, current: 0, changed: 0, undecryptable: 0, fromPlaintext: 0 },
      });
      await expect(rotated.app.get(ReencryptionService).reencryptStale()).resolves.toEqual({
        signingKeys: { reencrypted: 0, current: 2, changed: 0, undecryptable: 0 },
        applicationSecrets: { reencrypted: 0, current: 3, changed: 0, undecryptable: 0 },
        subscriptionSecrets: { reencrypted: 0, current: 2, changed: 0, undecryptable: 0 },
        mfaDeviceSecrets: { reencrypted: 0, current: 1, changed: 0, undecryptable: 0, fromPlaintext: 0 },
      });
    } finally {
      await rotated.close();
    }

    const newOnly = new SecretBox([NEW_KEY]);
    const after = await prisma().application.findUniqueOrThrow({ where: { id: env.clientId } });
    await expect(newOnly.decrypt(after.clientSecretCiphertext as string, purpose)).resolves.toBe('the current secret');
    await expect(newOnly.decrypt(after.previousSecretCiphertext as string, purpose)).resolves.toBe('the previous secret');
    const stored = await prisma().subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    await expect(newOnly.decrypt(stored.signingSecretCiphertext, `subscription-signing-secret:${subscription.id}`)).resolves.toBe(
      subscription.secret,
    );
    await expect(newOnly.decrypt(stored.headersCiphertext as string, `subscription-headers:${subscription.id}`)).resolves.toBe(
      JSON.stringify({ authorization: 'Bearer receiver-token' }),
    );
    await expect(testBox.decrypt(after.clientSecretCiphertext as string, purpose)).rejects.toThrow();
    expect(after.updatedAt).toEqual(before.updatedAt);
    const secondAfter = await prisma().application.findUniqueOrThrow({ where: { id: second.clientId } });
    expect(secondAfter.previousSecretCiphertext).toBeNull();
    await expect(newOnly.decrypt(secondAfter.clientSecretCiphertext as string, `application-secret:${second.clientId}`)).resolves.toBe(
      'second secret',
    );
    const storedDevice = await prisma().mfaDevice.findUniqueOrThrow({ where: { id: device.id }, omit: { secretCiphertext: false } });
    await expect(newOnly.decrypt(storedDevice.secretCiphertext as string, `mfa-device-secret:${device.id}`)).resolves.toBe(device.secret);
    for (const key of await prisma().signingKey.findMany()) {
      await expect(newOnly.decrypt(key.privateJwkEncrypted as string, signingKeyPurpose(key.kid))).resolves.toContain('"d"');
    }

    // With the older key removed from its configuration, an instance still signs and verifies.
    const withoutOldKey = await startApp({ encryptionKeys: [NEW_KEY] }, database.open);
    try {
      const token = await tokenFor(withoutOldKey, env);
      await withoutOldKey.as(token).get(usersPath(env)).expect(200);
    } finally {
      await withoutOldKey.close();
    }
  });
});
