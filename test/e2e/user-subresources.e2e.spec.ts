import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Activity } from '../../src/events/event-catalog.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import {
  BASE_URL,
  createEnvironment,
  createPopulation,
  createUser,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
  type TestWorker,
} from '../support/test-app.js';

/** What PingOne serves at URLs of a user's own: population, mfaEnabled, linkedAccounts, and the actions it links. */
describe('user sub-resources', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let other: TestEnvironment;
  let popA: string;
  let popA2: string;
  let popB: string;
  let adminA: TestWorker;
  let n = 0;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    other = await createEnvironment(t);
    popA = await createPopulation(t, env, 'A');
    popA2 = await createPopulation(t, env, 'A2');
    popB = await createPopulation(t, env, 'B');
    adminA = await createWorker(t, env, [
      { role: 'Identity Data Admin', scope: { type: 'POPULATION', id: popA } },
      { role: 'Identity Data Admin', scope: { type: 'POPULATION', id: popA2 } },
    ]);
  });
  afterAll(() => t.close());

  const users = () => `/v1/environments/${env.environmentId}/users`;
  const newUser = async (populationId = popA) =>
    (await createUser(t, env, { username: `sub-${++n}@example.com`, population: { id: populationId } })) as { id: string };
  const put = (token: string, url: string, body: unknown) => t.as(token).put(url).type(MediaTypes.JSON).send(JSON.stringify(body));
  const eventsOf = async (id: string): Promise<Activity[]> =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, id)).map((row) => row.payload);

  describe('population', () => {
    it("reads the user's population in PingOne's shape", async () => {
      const user = await newUser();
      const { body } = await t.as(env.token).get(`${users()}/${user.id}/population`).expect(200);
      expect(body).toEqual({
        _links: {
          self: { href: `${BASE_URL}${users()}/${user.id}/population` },
          user: { href: `${BASE_URL}${users()}/${user.id}` },
          population: { href: `${BASE_URL}/v1/environments/${env.environmentId}/populations/${popA}` },
        },
        id: popA,
      });
    });

    it('moves the user as a PATCH of population.id does, with USER.UPDATED', async () => {
      const user = await newUser();
      const { body } = await put(env.token, `${users()}/${user.id}/population`, { id: popB.toUpperCase() })
        .set('X-Ping-External-Transaction-ID', 'move-user')
        .expect(200);
      expect(body.id).toBe(popB);
      expect((await t.as(env.token).get(`${users()}/${user.id}`).expect(200)).body.population).toEqual({ id: popB });
      const events = await eventsOf(user.id);
      expect(events.map((e) => e.action.type)).toEqual(['USER.CREATED', 'USER.UPDATED']);
      expect(events[1]).toMatchObject({ correlationId: 'move-user', resources: [{ id: user.id, population: { id: popB } }] });
    });

    it('answers bad bodies with a clear 400 naming `id`, and moves nothing', async () => {
      const user = await newUser();
      for (const bad of [{}, { id: 'not-a-uuid' }, { id: 42 }, { id: randomUUID() }, { id: popB, name: 'extra' }]) {
        const { body } = await put(env.token, `${users()}/${user.id}/population`, bad).expect(400);
        expect(body.code).toBe('INVALID_DATA');
        expect(body.details.map((d: { target: string }) => d.target)).toContain(JSON.stringify(bad).includes('extra') ? 'name' : 'id');
      }
      await t.as(env.token).put(`${users()}/${user.id}/population`).type('text/plain').send('x').expect(415);
      expect((await t.as(env.token).get(`${users()}/${user.id}/population`).expect(200)).body.id).toBe(popA);
    });

    it('keeps a population-scoped admin within its populations, in both directions', async () => {
      const inA = await newUser(popA);
      const inB = await newUser(popB);
      await put(adminA.token, `${users()}/${inA.id}/population`, { id: popA2 }).expect(200);
      // Out of its reach: refused before the user is looked at.
      await put(adminA.token, `${users()}/${inA.id}/population`, { id: popB }).expect(403);
      // A user of another population answers as one that does not exist.
      await put(adminA.token, `${users()}/${inB.id}/population`, { id: popA }).expect(404);
      await t.as(adminA.token).get(`${users()}/${inB.id}/population`).expect(404);
      expect((await t.as(env.token).get(`${users()}/${inA.id}/population`).expect(200)).body.id).toBe(popA2);
      expect((await t.as(env.token).get(`${users()}/${inB.id}/population`).expect(200)).body.id).toBe(popB);
    });

    it('answers 404 for a missing user and 403 for another environment', async () => {
      await t.as(env.token).get(`${users()}/${randomUUID()}/population`).expect(404);
      await put(env.token, `${users()}/${randomUUID()}/population`, { id: popA }).expect(404);
      const user = await newUser();
      await t.as(other.token).get(`${users()}/${user.id}/population`).expect(403);
      await put(other.token, `${users()}/${user.id}/population`, { id: popB }).expect(403);
      const reader = await createWorker(t, env, [{ role: 'Identity Data Read Only' }]);
      await t.as(reader.token).get(`${users()}/${user.id}/population`).expect(200);
      await put(reader.token, `${users()}/${user.id}/population`, { id: popB }).expect(403);
    });
  });

  describe('mfaEnabled', () => {
    it("reads and sets PingOne's {mfaEnabled}, with USER.UPDATED", async () => {
      const user = await newUser();
      const read = await t.as(env.token).get(`${users()}/${user.id}/mfaEnabled`).expect(200);
      expect(read.body).toEqual({
        _links: { self: { href: `${BASE_URL}${users()}/${user.id}/mfaEnabled` }, user: { href: `${BASE_URL}${users()}/${user.id}` } },
        mfaEnabled: false,
      });
      const set = await put(env.token, `${users()}/${user.id}/mfaEnabled`, { mfaEnabled: true }).expect(200);
      expect(set.body.mfaEnabled).toBe(true);
      expect((await t.as(env.token).get(`${users()}/${user.id}`).expect(200)).body.mfaEnabled).toBe(true);
      expect((await eventsOf(user.id)).map((e) => e.action.type)).toEqual(['USER.CREATED', 'USER.UPDATED']);
    });

    it('answers bad bodies with 400, a missing user with 404, another environment or population with 403/404', async () => {
      const user = await newUser();
      for (const bad of [{}, { mfaEnabled: 'true' }, { mfaEnabled: null }, { mfaEnabled: true, enabled: true }]) {
        const { body } = await put(env.token, `${users()}/${user.id}/mfaEnabled`, bad).expect(400);
        expect(body.code).toBe('INVALID_DATA');
      }
      await put(env.token, `${users()}/${randomUUID()}/mfaEnabled`, { mfaEnabled: true }).expect(404);
      await t.as(env.token).get(`${users()}/${randomUUID()}/mfaEnabled`).expect(404);
      await put(other.token, `${users()}/${user.id}/mfaEnabled`, { mfaEnabled: true }).expect(403);
      const inB = await newUser(popB);
      await put(adminA.token, `${users()}/${inB.id}/mfaEnabled`, { mfaEnabled: true }).expect(404);
      expect((await t.as(env.token).get(`${users()}/${inB.id}/mfaEnabled`).expect(200)).body.mfaEnabled).toBe(false);
    });
  });

  describe('linkedAccounts', () => {
    it('is an empty collection in PingOne’s shape while the service links none', async () => {
      const user = await newUser();
      const { body } = await t.as(env.token).get(`${users()}/${user.id}/linkedAccounts`).expect(200);
      expect(body).toEqual({
        _links: { self: { href: `${BASE_URL}${users()}/${user.id}/linkedAccounts` }, user: { href: `${BASE_URL}${users()}/${user.id}` } },
        _embedded: { linkedAccounts: [] },
        count: 0,
        size: 0,
      });
      await t.as(env.token).get(`${users()}/${randomUUID()}/linkedAccounts`).expect(404);
      await t.as(other.token).get(`${users()}/${user.id}/linkedAccounts`).expect(403);
      await t
        .as(adminA.token)
        .get(`${users()}/${(await newUser(popB)).id}/linkedAccounts`)
        .expect(404);
    });
  });

  it('every link of the user body leads to a route that answers (memberOfGroups belongs to the groups feature)', async () => {
    const user = await newUser();
    const { body } = await t.as(env.token).get(`${users()}/${user.id}`).expect(200);
    const answers: string[] = [];
    for (const [rel, link] of Object.entries(body._links as Record<string, { href: string }>)) {
      if (rel === 'memberOfGroups') continue;
      const response = await t.as(env.token).get(link.href.slice(BASE_URL.length));
      answers.push(`${rel} ${response.status}`);
    }
    expect(answers).toEqual(
      [
        'self',
        'environment',
        'population',
        'devices',
        'roleAssignments',
        'password',
        'password.reset',
        'password.set',
        'password.check',
        'password.recover',
        'linkedAccounts',
        'account.sendVerificationCode',
      ].map((rel) => `${rel} 200`),
    );
  });

  describe('actions PingOne links that this service does not offer', () => {
    const unavailable: [string, (id: string) => string, unknown][] = [
      [MediaTypes.USER_SEND_VERIFICATION_CODE, (id) => `${users()}/${id}`, undefined],
      [MediaTypes.USER_VERIFY, (id) => `${users()}/${id}`, { verificationCode: '12345678' }],
      [MediaTypes.PASSWORD_SEND_RECOVERY_CODE, (id) => `${users()}/${id}/password`, undefined],
      [MediaTypes.PASSWORD_RECOVER, (id) => `${users()}/${id}/password`, { recoveryCode: '12345678', newPassword: 'N3w-Passw0rd!' }],
    ];

    it.each(unavailable)(
      '%s answers 400 INVALID_REQUEST / FEATURE_NOT_ENABLED, changes nothing, records nothing',
      async (type, url, body) => {
        const user = await newUser();
        const before = (await t.as(env.token).get(`${users()}/${user.id}`).expect(200)).body;
        const req = t.as(env.token).post(url(user.id)).set('Content-Type', `${type}; charset=utf-8`);
        const response = await (body === undefined ? req : req.send(JSON.stringify(body))).expect(400);
        expect(response.body).toMatchObject({
          id: expect.any(String),
          code: 'INVALID_REQUEST',
          details: [{ code: 'FEATURE_NOT_ENABLED', target: 'Content-Type', message: expect.stringContaining(type) }],
        });
        expect((await t.as(env.token).get(`${users()}/${user.id}`).expect(200)).body).toEqual(before);
        expect((await eventsOf(user.id)).map((e) => e.action.type)).toEqual(['USER.CREATED']);
        // Access is checked first, as for every action.
        await t.as(other.token).post(url(user.id)).set('Content-Type', type).expect(403);
        const reader = await createWorker(t, env, [{ role: 'Identity Data Read Only' }]);
        await t.as(reader.token).post(url(user.id)).set('Content-Type', type).expect(403);
      },
    );

    it('still answers 415 for a media type PingOne does not define', async () => {
      const user = await newUser();
      const { body } = await t
        .as(env.token)
        .post(`${users()}/${user.id}`)
        .set('Content-Type', 'application/vnd.pingidentity.user.unknown+json')
        .expect(415);
      expect(body.details[0].innerError.allowedValues).toEqual([MediaTypes.ACCOUNT_UNLOCK, MediaTypes.ACCOUNT_LOCK]);
    });
  });
});
