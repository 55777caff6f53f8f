import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { USER_LINK_RELS } from '../../src/users/user.mapper.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import {
  BASE_URL,
  createEnvironment,
  createUser,
  lockUser,
  startApp,
  type TestApp,
  type TestEnvironment,
  usersPath,
} from '../support/test-app.js';

describe('POST /v1/environments/{envID}/users/{userID} (account unlock and lock)', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
  });
  afterAll(async () => t.close());

  const events = async (userId: string, type?: string) =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, userId)).filter((e) => !type || e.type === type);

  const unlock = (userId: string, contentType: string = MediaTypes.ACCOUNT_UNLOCK) =>
    api.post(`${usersPath(env)}/${userId}`).set('Content-Type', contentType);

  it("answers PingOne's documented unlock request with 200 and the whole user", async () => {
    const user = await createUser(t, env, {
      username: 'seed@example.com',
      email: 'seed@example.com',
      name: { given: 'Seed', family: 'User' },
    });
    await lockUser(t, env, user.id);

    // Exactly the documented request: no body, vendor Content-Type, bearer token.
    const response = await unlock(user.id)
      .expect(200)
      .expect('content-type', /application\/json/);

    const body = response.body;
    expect(Object.keys(body._links).sort()).toEqual([...USER_LINK_RELS].sort());
    expect(Object.keys(body._links)).toHaveLength(13);
    const self = `${BASE_URL}/v1/environments/${env.environmentId}/users/${user.id}`;
    expect(body._links.self.href).toBe(self);
    expect(body._links.environment.href).toBe(`${BASE_URL}/v1/environments/${env.environmentId}`);
    expect(body._links.population.href).toBe(`${BASE_URL}/v1/environments/${env.environmentId}/populations/${env.populationId}`);
    expect(body._links['password.check'].href).toBe(`${self}/password`);
    expect(body._links['account.sendVerificationCode'].href).toBe(self);
    for (const rel of USER_LINK_RELS) expect(body._links[rel].href).toMatch(/^http:\/\/localhost:3000\/v1\//);
    expect(body).toMatchObject({
      id: user.id,
      environment: { id: env.environmentId },
      population: { id: env.populationId },
      username: 'seed@example.com',
      email: 'seed@example.com',
      emailVerified: false,
      enabled: true,
      mfaEnabled: false,
      account: { canAuthenticate: true, status: 'OK' },
      lifecycle: { status: 'ACCOUNT_OK' },
      identityProvider: { type: 'PING_ONE' },
      verifyStatus: 'NOT_INITIATED',
      name: { given: 'Seed', family: 'User' },
    });
    expect(body.account).not.toHaveProperty('lockedAt');
    expect(body.account).not.toHaveProperty('unlockAt');
    expect(body.account).not.toHaveProperty('secondsUntilUnlock');
    expect(Date.parse(body.createdAt)).not.toBeNaN();
    expect(Date.parse(body.updatedAt)).not.toBeNaN();
    const { _links: _, ...attributes } = body;
    expect(JSON.stringify(attributes)).not.toMatch(/password|secret|hash/i);
  });

  it('records exactly one USER.UNLOCKED in the outbox, with actor, resource and correlation id', async () => {
    const user = await createUser(t, env, { username: 'event@example.com' });
    await lockUser(t, env, user.id);
    await unlock(user.id).set('X-Ping-External-Transaction-ID', 'ticket-4711').expect(200).expect('correlation-id', 'ticket-4711');

    const [event, ...more] = await events(user.id, 'USER.UNLOCKED');
    expect(more).toHaveLength(0);
    // Delivery state lives in the consumers' cursors (docs/events.md), not on the event.
    expect(event?.id).toBe(event?.payload.id);
    expect(event?.payload).toMatchObject({
      correlationId: 'ticket-4711',
      action: { type: 'USER.UNLOCKED', description: 'User Unlocked' },
      actors: { client: { id: env.clientId, type: 'CLIENT' } },
      resources: [
        {
          id: user.id,
          name: 'event@example.com',
          type: 'USER',
          href: `${BASE_URL}/v1/environments/${env.environmentId}/users/${user.id}`,
          environment: { id: env.environmentId },
          population: { id: env.populationId },
        },
      ],
      result: { status: 'SUCCESS' },
    });
    expect(JSON.stringify(event?.payload)).not.toContain(env.clientSecret);
  });

  it('unlocking an account that is not locked is a 200 with no change and no event', async () => {
    const user = await createUser(t, env, { username: 'never-locked@example.com' });
    const response = await unlock(user.id).expect(200);
    expect(response.body.updatedAt).toBe(user.updatedAt);
    expect(await events(user.id, 'USER.UNLOCKED')).toHaveLength(0);
  });

  it('50 concurrent unlocks of one locked user give 50 × 200 and exactly one USER.UNLOCKED', async () => {
    const user = await createUser(t, env, { username: 'race@example.com' });
    await lockUser(t, env, user.id);

    const responses = await Promise.all(Array.from({ length: 50 }, () => unlock(user.id)));

    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(responses.every((r) => r.body.account.status === 'OK')).toBe(true);
    expect(await events(user.id, 'USER.UNLOCKED')).toHaveLength(1);
    expect(await events(user.id, 'USER.LOCKED')).toHaveLength(1);
  });

  it('a disabled user stays unable to authenticate after an unlock', async () => {
    const user = await createUser(t, env, { username: 'disabled@example.com' });
    await api
      .put(`${usersPath(env)}/${user.id}/enabled`)
      .send({ enabled: false })
      .expect(200);
    await lockUser(t, env, user.id);
    const response = await unlock(user.id).expect(200);
    expect(response.body.account).toEqual({ canAuthenticate: false, status: 'OK' });
    expect(response.body.enabled).toBe(false);
  });

  it('locks with an unlockAt, reports the time left, and records USER.LOCKED once', async () => {
    const user = await createUser(t, env, { username: 'timed@example.com' });
    const unlockAt = new Date(Date.now() + 600_000).toISOString();
    const first = await unlock(user.id, MediaTypes.ACCOUNT_LOCK).send(JSON.stringify({ unlockAt })).expect(200);
    expect(first.body.account).toMatchObject({ status: 'LOCKED', canAuthenticate: false, unlockAt });
    expect(first.body.account.secondsUntilUnlock).toBeGreaterThan(590);
    expect(first.body.account.secondsUntilUnlock).toBeLessThanOrEqual(600);
    expect(Date.parse(first.body.account.lockedAt)).not.toBeNaN();

    // Locking again changes nothing and records nothing.
    const again = await unlock(user.id, MediaTypes.ACCOUNT_LOCK).expect(200);
    expect(again.body.account.unlockAt).toBe(unlockAt);
    expect(await events(user.id, 'USER.LOCKED')).toHaveLength(1);
  });

  it('a lock without unlockAt waits for an administrator', async () => {
    const user = await createUser(t, env, { username: 'indefinite@example.com' });
    const response = await unlock(user.id, MediaTypes.ACCOUNT_LOCK).send('{}').expect(200);
    expect(response.body.account.status).toBe('LOCKED');
    expect(response.body.account).not.toHaveProperty('unlockAt');
    expect(response.body.account).not.toHaveProperty('secondsUntilUnlock');
  });

  it('refuses an unlockAt in the past or not a date, changing nothing', async () => {
    const user = await createUser(t, env, { username: 'badlock@example.com' });
    const past = await unlock(user.id, MediaTypes.ACCOUNT_LOCK)
      .send(JSON.stringify({ unlockAt: '2001-01-01T00:00:00Z' }))
      .expect(400);
    expect(past.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code: 'INVALID_VALUE', target: 'unlockAt' }] });
    const garbage = await unlock(user.id, MediaTypes.ACCOUNT_LOCK)
      .send(JSON.stringify({ unlockAt: 'soon' }))
      .expect(400);
    expect(garbage.body.details[0].target).toBe('unlockAt');
    const unknown = await unlock(user.id, MediaTypes.ACCOUNT_LOCK)
      .send(JSON.stringify({ until: 'x' }))
      .expect(400);
    expect(unknown.body.details[0]).toMatchObject({ code: 'INVALID_VALUE', target: 'until' });
    await api
      .get(`${usersPath(env)}/${user.id}`)
      .expect(200)
      .expect((r) => expect(r.body.account.status).toBe('OK'));
    expect(await events(user.id, 'USER.LOCKED')).toHaveLength(0);
  });

  describe('media type matching', () => {
    let userId: string;
    beforeAll(async () => {
      userId = (await createUser(t, env, { username: 'media@example.com' })).id;
    });

    it.each([
      ['upper case', 'APPLICATION/VND.PINGIDENTITY.ACCOUNT.UNLOCK+JSON'],
      ['a charset parameter', 'application/vnd.pingidentity.account.unlock+json; charset=utf-8'],
      ['mixed case with spaces', 'Application/Vnd.PingIdentity.Account.Unlock+Json ;charset=UTF-8'],
    ])('accepts %s', async (_, contentType) => {
      await unlock(userId, contentType).expect(200);
    });

    it('accepts an empty JSON object and a zero-length body', async () => {
      await unlock(userId).send('{}').expect(200);
      await unlock(userId).send('').expect(200);
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['plain JSON', MediaTypes.JSON],
      ['an unknown vendor type', 'application/vnd.pingidentity.account.explode+json'],
    ])('refuses %s with 415 listing the allowed types', async (_, contentType) => {
      const response = await unlock(userId, contentType).send('{}').expect(415);
      expect(response.body).toMatchObject({
        code: 'INVALID_REQUEST',
        details: [
          {
            code: 'INVALID_VALUE',
            target: 'Content-Type',
            innerError: { allowedValues: [MediaTypes.ACCOUNT_UNLOCK, MediaTypes.ACCOUNT_LOCK] },
          },
        ],
      });
      expect(typeof response.body.id).toBe('string');
    });

    it('refuses a missing Content-Type with 415', async () => {
      const response = await api.post(`${usersPath(env)}/${userId}`).expect(415);
      expect(response.body.details[0].innerError.allowedValues).toEqual([MediaTypes.ACCOUNT_UNLOCK, MediaTypes.ACCOUNT_LOCK]);
    });

    it('checks the token before the media type', async () => {
      await t.http
        .post(`${usersPath(env)}/${userId}`)
        .set('Content-Type', 'text/plain')
        .send('x')
        .expect(401);
    });
  });

  it('answers 404 for an unknown user and 400 for an id that is not a UUID', async () => {
    const missing = await unlock('7a3e6d7c-1111-4222-8333-444455556666').expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND' });
    const bad = await unlock('not-a-uuid').expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code: 'INVALID_VALUE', target: 'userId' }] });
  });
});
