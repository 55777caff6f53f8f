import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApplicationsRepository } from '../../src/applications/applications.repository.js';
import { ApplicationsService } from '../../src/applications/applications.service.js';
import { ClientAuthenticator } from '../../src/applications/client-authenticator.js';
import { generateClientSecret, hashClientSecret, sealClientSecret } from '../../src/applications/client-secrets.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { createEnvironment, startApp, type TestApp, type TestEnvironment } from '../support/test-app.js';

/** The previous secret's window, decided by the stored expiry, against the real database. */
describe('ClientAuthenticator and the previous secret', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let authenticator: ClientAuthenticator;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    authenticator = t.app.get(ClientAuthenticator);
  });
  afterAll(async () => t.close());

  const prisma = () => t.app.get(PrismaService);
  const lastUsed = async (id: string) => (await prisma().application.findUniqueOrThrow({ where: { id } })).previousSecretLastUsedAt;

  /** A worker whose secret was rotated at `rotatedAt`, the old one kept until `expiresAt`. */
  async function rotatedWorker(rotatedAt: Date, expiresAt: Date) {
    const { id, clientSecret: previous } = await t.app.get(ApplicationsService).createWorker(env.environmentId, 'rotated');
    const current = generateClientSecret();
    const sealed = await sealClientSecret(t.app.get(SecretBox), id, current);
    await t.app.get(ApplicationsRepository).rotateSecret(env.environmentId, id, sealed, expiresAt, rotatedAt);
    return { id, previous, current };
  }

  const at = (base: Date, offsetMs: number) => new Date(base.getTime() + offsetMs);

  it('accepts the previous secret before its expiry and records when it was used', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const app = await rotatedWorker(new Date(), expiresAt);
    const usedAt = at(expiresAt, -1);
    await expect(authenticator.authenticate(env.environmentId, app.id, app.previous, usedAt)).resolves.toEqual({
      id: app.id,
      name: 'rotated',
    });
    expect(await lastUsed(app.id)).toEqual(usedAt);
  });

  it('refuses the previous secret at the instant it expires, and after, without recording a use', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const app = await rotatedWorker(new Date(), expiresAt);
    await expect(authenticator.authenticate(env.environmentId, app.id, app.previous, expiresAt)).resolves.toBeNull();
    await expect(authenticator.authenticate(env.environmentId, app.id, app.previous, at(expiresAt, 1))).resolves.toBeNull();
    await expect(authenticator.authenticate(env.environmentId, app.id, app.previous, at(expiresAt, 86_400_000))).resolves.toBeNull();
    expect(await lastUsed(app.id)).toBeNull();
  });

  it('accepts the current secret before, at and after the previous one expires, without recording a previous use', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const app = await rotatedWorker(new Date(), expiresAt);
    for (const when of [at(expiresAt, -1), expiresAt, at(expiresAt, 1)]) {
      await expect(authenticator.authenticate(env.environmentId, app.id, app.current, when)).resolves.toEqual({
        id: app.id,
        name: 'rotated',
      });
    }
    expect(await lastUsed(app.id)).toBeNull();
  });

  it('refuses both secrets of a disabled application, and a wrong secret or client', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const app = await rotatedWorker(new Date(), expiresAt);
    const inside = at(expiresAt, -1000);
    await expect(authenticator.authenticate(env.environmentId, app.id, 'not-the-secret', inside)).resolves.toBeNull();
    await expect(authenticator.authenticate(env.environmentId, env.clientId, app.current, inside)).resolves.toBeNull();
    await expect(authenticator.authenticate(env.environmentId, 'not-a-uuid', app.current, inside)).resolves.toBeNull();
    await prisma().application.update({ where: { id: app.id }, data: { enabled: false } });
    await expect(authenticator.authenticate(env.environmentId, app.id, app.current, inside)).resolves.toBeNull();
    await expect(authenticator.authenticate(env.environmentId, app.id, app.previous, inside)).resolves.toBeNull();
    expect(await lastUsed(app.id)).toBeNull();
  });

  it('stops accepting a previous secret as soon as a later rotation replaces it', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const app = await rotatedWorker(new Date(), expiresAt);
    const third = await sealClientSecret(t.app.get(SecretBox), app.id, generateClientSecret());
    await t.app.get(ApplicationsRepository).rotateSecret(env.environmentId, app.id, third, expiresAt, new Date());
    const inside = at(expiresAt, -1000);
    await expect(authenticator.authenticate(env.environmentId, app.id, app.previous, inside)).resolves.toBeNull();
    await expect(authenticator.authenticate(env.environmentId, app.id, app.current, inside)).resolves.toEqual({
      id: app.id,
      name: 'rotated',
    });
    expect(await lastUsed(app.id)).toEqual(inside);
  });

  it('records a use only while the used secret is still the previous one (a rotation in between wins)', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const app = await rotatedWorker(new Date(), expiresAt);
    const third = await sealClientSecret(t.app.get(SecretBox), app.id, generateClientSecret());
    await t.app.get(ApplicationsRepository).rotateSecret(env.environmentId, app.id, third, expiresAt, new Date());
    // As if the authentication had read the row before that rotation.
    await t.app.get(ApplicationsRepository).markPreviousSecretUsed(app.id, hashClientSecret(app.previous), at(expiresAt, -1000));
    expect(await lastUsed(app.id)).toBeNull();
  });
});
