import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Activity } from '../../src/events/event-catalog.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { GOOD_PASSWORD } from '../support/passwords.js';
import {
  createEnvironment,
  createPopulation,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
  type TestWorker,
  usersPath,
} from '../support/test-app.js';

/** `user.import+json` as migration tools send it: with or without a password, with PingOne's import-only attributes. */
describe('user import', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let other: TestEnvironment;
  let popA: string;
  let popB: string;
  let adminA: TestWorker;
  let n = 0;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    other = await createEnvironment(t);
    popA = await createPopulation(t, env, 'A');
    popB = await createPopulation(t, env, 'B');
    adminA = await createWorker(t, env, [{ role: 'Identity Data Admin', scope: { type: 'POPULATION', id: popA } }]);
  });
  afterAll(() => t.close());

  const username = () => `imported-${++n}@example.com`;
  const importUser = (body: Record<string, unknown>, token = env.token, into = env) =>
    t.as(token).post(usersPath(into)).set('Content-Type', MediaTypes.USER_IMPORT).send(JSON.stringify(body));
  const eventsOf = async (id: string): Promise<Activity[]> =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, id)).map((row) => row.payload);
  const read = async (id: string) =>
    (
      await t
        .as(env.token)
        .get(`${usersPath(env)}/${id}`)
        .expect(200)
    ).body;
  const countNamed = async (name: string) =>
    (
      await t
        .as(env.token)
        .get(usersPath(env))
        .query({ filter: `username eq "${name}"` })
        .expect(200)
    ).body.count as number;

  it('imports a user without a password: NO_PASSWORD, USER.CREATED only', async () => {
    const { body } = await importUser({ username: username(), population: { id: popA }, email: 'np@example.com' }).expect(201);
    expect(body).toMatchObject({
      population: { id: popA },
      enabled: true,
      emailVerified: false,
      lifecycle: { status: 'ACCOUNT_OK' },
      verifyStatus: 'NOT_INITIATED',
      identityProvider: { type: 'PING_ONE' },
      account: { status: 'OK', canAuthenticate: true },
    });
    expect(body).not.toHaveProperty('password');
    const state = await t
      .as(env.token)
      .get(`${usersPath(env)}/${body.id}/password`)
      .expect(200);
    expect(state.body.status).toBe('NO_PASSWORD');
    expect((await eventsOf(body.id)).map((e) => e.action.type)).toEqual(['USER.CREATED']);
  });

  it('stores and returns every import-only attribute PingOne accepts', async () => {
    const idpId = randomUUID();
    const { body } = await importUser({
      username: username(),
      population: { id: popA },
      password: { value: GOOD_PASSWORD, forceChange: true },
      emailVerified: true,
      enabled: false,
      mfaEnabled: true,
      lifecycle: { status: 'VERIFICATION_REQUIRED', suppressVerificationCode: true },
      account: { canAuthenticate: false },
      verifyStatus: 'ENABLED',
      identityProvider: { type: 'OPENID_CONNECT', id: idpId.toUpperCase() },
    }).expect(201);
    const expected = {
      emailVerified: true,
      enabled: false,
      mfaEnabled: true,
      lifecycle: { status: 'VERIFICATION_REQUIRED' },
      // A disabled user cannot authenticate; its account itself is not locked.
      account: { status: 'OK', canAuthenticate: false },
      verifyStatus: 'ENABLED',
      identityProvider: { type: 'OPENID_CONNECT', id: idpId },
    };
    expect(body).toMatchObject(expected);
    expect(await read(body.id)).toMatchObject(expected);
    const state = await t
      .as(env.token)
      .get(`${usersPath(env)}/${body.id}/password`)
      .expect(200);
    expect(state.body.status).toBe('MUST_CHANGE_PASSWORD');
    expect((await eventsOf(body.id)).map((e) => e.action.type)).toEqual(['USER.CREATED', 'PASSWORD.SET']);
  });

  it('locks an account imported as LOCKED (or unable to authenticate) until an administrator unlocks it, with USER.LOCKED', async () => {
    for (const account of [{ status: 'LOCKED' }, { canAuthenticate: false }, { status: 'LOCKED', canAuthenticate: false }]) {
      const { body } = await importUser({ username: username(), population: { id: popA }, account }).expect(201);
      expect(body.account).toMatchObject({ status: 'LOCKED', canAuthenticate: false, lockedAt: expect.any(String) });
      expect(body.account).not.toHaveProperty('unlockAt');
      expect((await eventsOf(body.id)).map((e) => e.action.type)).toEqual(['USER.CREATED', 'USER.LOCKED']);
      const unlocked = await t
        .as(env.token)
        .post(`${usersPath(env)}/${body.id}`)
        .set('Content-Type', MediaTypes.ACCOUNT_UNLOCK)
        .expect(200);
      expect(unlocked.body.account).toEqual({ status: 'OK', canAuthenticate: true });
    }
    const ok = await importUser({ username: username(), account: { status: 'OK', canAuthenticate: true } }).expect(201);
    expect(ok.body.account).toEqual({ status: 'OK', canAuthenticate: true });
  });

  it('refuses each bad or contradictory attribute by name with 400, creating nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ lifecycle: { status: 'PENDING' } }, 'lifecycle.status'],
      [{ lifecycle: 'ACCOUNT_OK' }, 'lifecycle'],
      [{ lifecycle: { suppressVerificationCode: 'yes' } }, 'lifecycle.suppressVerificationCode'],
      [{ lifecycle: { status: 'ACCOUNT_OK', reason: 'x' } }, 'lifecycle.reason'],
      [{ account: { status: 'DISABLED' } }, 'account.status'],
      [{ account: { canAuthenticate: 'false' } }, 'account.canAuthenticate'],
      [{ account: { lockedAt: new Date().toISOString() } }, 'account.lockedAt'],
      [{ account: { status: 'LOCKED', canAuthenticate: true } }, 'account.canAuthenticate'],
      [{ enabled: false, account: { canAuthenticate: true } }, 'account.canAuthenticate'],
      [{ account: { status: 'OK', canAuthenticate: false } }, 'account.canAuthenticate'],
      [{ verifyStatus: 'VERIFIED' }, 'verifyStatus'],
      [{ emailVerified: 'true' }, 'emailVerified'],
      [{ enabled: null }, 'enabled'],
      [{ identityProvider: { type: 'MYSPACE' } }, 'identityProvider.type'],
      [{ identityProvider: { type: 'SAML' } }, 'identityProvider.id'],
      [{ identityProvider: { id: randomUUID() } }, 'identityProvider.type'],
      [{ identityProvider: { type: 'PING_ONE', id: randomUUID() } }, 'identityProvider.type'],
      [{ identityProvider: { type: 'SAML', id: 'not-a-uuid' } }, 'identityProvider.id'],
      [{ password: { forceChange: true } }, 'password.value'],
      [{ password: null }, 'password'],
      [{ createdAt: new Date().toISOString() }, 'createdAt'],
      [{ favouriteColour: 'blue' }, 'favouriteColour'],
    ];
    for (const [extra, target] of cases) {
      const name = username();
      const { body } = await importUser({ username: name, ...extra }).expect(400);
      expect([target, body.code]).toEqual([target, 'INVALID_DATA']);
      expect([target, body.details.map((d: { target: string }) => d.target)]).toEqual([target, expect.arrayContaining([target])]);
      expect(await countNamed(name)).toBe(0);
    }
  });

  it('keeps the access rules of an import: population scope, other environments, roles', async () => {
    await importUser({ username: username(), population: { id: popA } }, adminA.token).expect(201);
    await importUser({ username: username(), population: { id: popB } }, adminA.token).expect(403);
    await importUser({ username: username() }, other.token).expect(403);
    const reader = await createWorker(t, env, [{ role: 'Identity Data Read Only' }]);
    await importUser({ username: username() }, reader.token).expect(403);
    // A population that does not exist is a 400 naming it.
    const missing = await importUser({ username: username(), population: { id: randomUUID() } }).expect(400);
    expect(missing.body.details[0].target).toBe('population.id');
  });
});
