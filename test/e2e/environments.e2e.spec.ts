import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Activity } from '../../src/events/event-catalog.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import {
  BASE_URL,
  createEnvironment,
  createPopulation,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
} from '../support/test-app.js';

/** `/v1/environments`: what tools read to test their connection, and the rename an admin makes. */
describe('the environment resource', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let other: TestEnvironment;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    other = await createEnvironment(t);
  });
  afterAll(() => t.close());

  const path = () => `/v1/environments/${env.environmentId}`;
  const put = (token: string, body: unknown, url = path()) => t.as(token).put(url).type(MediaTypes.JSON).send(JSON.stringify(body));

  it("reads the environment in PingOne's shape, with links that answer", async () => {
    const { body } = await t.as(env.token).get(path()).expect(200);
    expect(body).toEqual({
      _links: {
        self: { href: `${BASE_URL}${path()}` },
        populations: { href: `${BASE_URL}${path()}/populations` },
        users: { href: `${BASE_URL}${path()}/users` },
        applications: { href: `${BASE_URL}${path()}/applications` },
        passwordPolicies: { href: `${BASE_URL}${path()}/passwordPolicies` },
        activities: { href: `${BASE_URL}${path()}/activities` },
      },
      id: env.environmentId,
      name: 'Test',
      type: 'PRODUCTION',
      region: 'NA',
      license: { id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    for (const [rel, link] of Object.entries(body._links as Record<string, { href: string }>)) {
      if (rel === 'activities') continue; // needs a filter; its own suite reads it
      await t
        .as(env.token)
        .get(link.href.slice(BASE_URL.length))
        .expect((r) => expect([rel, r.status]).toEqual([rel, 200]));
    }
    // Each environment has its own license id, stable across reads.
    const again = await t.as(env.token).get(path()).expect(200);
    const theOther = await t.as(other.token).get(`/v1/environments/${other.environmentId}`).expect(200);
    expect(again.body.license).toEqual(body.license);
    expect(theOther.body.license.id).not.toBe(body.license.id);
  });

  it('lets every built-in role read it, population-scoped ones included: tools test their connection with it', async () => {
    const popId = await createPopulation(t, env, 'Connection testers');
    for (const grant of [
      { role: 'Identity Data Admin' },
      { role: 'Identity Data Read Only' },
      { role: 'Identity Data Admin', scope: { type: 'POPULATION' as const, id: popId } },
    ]) {
      const worker = await createWorker(t, env, [grant]);
      await t.as(worker.token).get(path()).expect(200);
      const list = await t.as(worker.token).get('/v1/environments').expect(200);
      expect(list.body._embedded.environments.map((e: { id: string }) => e.id)).toEqual([env.environmentId]);
    }
    const none = await createWorker(t, env, []);
    await t.as(none.token).get(path()).expect(403);
  });

  it("refuses another environment's id, and an unknown one, with 403 (as PingOne does)", async () => {
    const other403 = await t.as(env.token).get(`/v1/environments/${other.environmentId}`).expect(403);
    expect(other403.body).toMatchObject({ code: 'ACCESS_FAILED', details: [{ code: 'INSUFFICIENT_PERMISSIONS' }] });
    await t.as(env.token).get(`/v1/environments/${randomUUID()}`).expect(403);
    await put(env.token, { name: 'Hijacked' }, `/v1/environments/${other.environmentId}`).expect(403);
    const { body } = await t.as(other.token).get(`/v1/environments/${other.environmentId}`).expect(200);
    expect(body.name).toBe('Test');
  });

  it('lists only the caller’s environment, with count, size and filters', async () => {
    const { body } = await t.as(env.token).get('/v1/environments').expect(200);
    expect(body).toMatchObject({ count: 1, size: 1, _links: { self: { href: `${BASE_URL}/v1/environments` } } });
    expect(body._embedded.environments).toHaveLength(1);
    expect(body._embedded.environments[0].id).toBe(env.environmentId);
    expect(body._links.next).toBeUndefined();

    const byId = await t
      .as(env.token)
      .get(`/v1/environments?filter=${encodeURIComponent(`id eq "${other.environmentId}"`)}`)
      .expect(200);
    expect(byId.body).toMatchObject({ count: 0, size: 0, _embedded: { environments: [] } });
    const byLicense = `license.id eq "${body._embedded.environments[0].license.id}" and name sw "te"`;
    const matched = await t
      .as(env.token)
      .get(`/v1/environments?limit=1&filter=${encodeURIComponent(byLicense)}`)
      .expect(200);
    expect(matched.body.count).toBe(1);

    const badFilter = await t
      .as(env.token)
      .get(`/v1/environments?filter=${encodeURIComponent('color eq "red"')}`)
      .expect(400);
    expect(badFilter.body.details[0].code).toBe('INVALID_FILTER');
    await t.as(env.token).get('/v1/environments?limit=0').expect(400);
    await t.as(env.token).get('/v1/environments?cursor=%25%25').expect(400);
  });

  it('updates name and description, records ENVIRONMENT.UPDATED in the same change, and clears a description left out', async () => {
    const before = (await t.as(env.token).get(path()).expect(200)).body;
    const { body } = await put(env.token, { name: 'Renamed', description: 'Where tools connect', type: 'PRODUCTION', region: 'NA' })
      .set('X-Ping-External-Transaction-ID', 'env-rename')
      .expect(200);
    expect(body).toMatchObject({ id: env.environmentId, name: 'Renamed', description: 'Where tools connect', type: 'PRODUCTION' });
    expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
    expect((await t.as(env.token).get(path()).expect(200)).body.description).toBe('Where tools connect');

    const cleared = await put(env.token, { name: 'Renamed again' }).expect(200);
    expect(cleared.body.description).toBeUndefined();

    const events: Activity[] = (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, env.environmentId)).map(
      (row) => row.payload,
    );
    expect(events.map((e) => e.action.type)).toEqual(['ENVIRONMENT.UPDATED', 'ENVIRONMENT.UPDATED']);
    expect(events[0]).toMatchObject({
      correlationId: 'env-rename',
      actors: { client: { id: env.clientId, type: 'CLIENT' } },
      resources: [{ id: env.environmentId, type: 'ENVIRONMENT', name: 'Renamed', href: `${BASE_URL}${path()}` }],
    });
  });

  it('answers bad bodies with a clear 400 and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(257) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: 'ok', description: 'd'.repeat(1025) }, 'description'],
      [{ name: 'ok', type: 'SANDBOX' }, 'type'],
      [{ name: 'ok', type: 'STAGING' }, 'type'],
      [{ name: 'ok', region: 'EU' }, 'region'],
      [{ name: 'ok', id: randomUUID() }, 'id'],
    ];
    const before = (await t.as(env.token).get(path()).expect(200)).body;
    for (const [bad, target] of cases) {
      const { body } = await put(env.token, bad).expect(400);
      expect([target, body.code]).toEqual([target, 'INVALID_DATA']);
      expect(body.details.map((d: { target: string }) => d.target)).toContain(target);
    }
    await t.as(env.token).put(path()).type('text/plain').send('name').expect(415);
    await t.as(env.token).put(path()).type(MediaTypes.JSON).send('{"name":').expect(400);
    expect((await t.as(env.token).get(path()).expect(200)).body).toEqual(before);
  });

  it('lets only an Environment Admin update it', async () => {
    for (const role of ['Identity Data Admin', 'Identity Data Read Only']) {
      const worker = await createWorker(t, env, [{ role }]);
      await put(worker.token, { name: 'Not mine to rename' }).expect(403);
    }
  });
});
