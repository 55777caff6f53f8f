import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import {
  BASE_URL,
  createEnvironment,
  createPopulation,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
  type TestWorker,
} from '../support/test-app.js';

const MISSING = '6c7b6a44-1111-4111-8111-111111111111';

describe('groups: /v1/environments/{envID}/groups', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let other: TestEnvironment;
  let api: Api;
  let popA: string;
  let popB: string;
  let adminA: TestWorker;
  let readerA: TestWorker;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    other = await createEnvironment(t);
    api = t.as(env.token);
    popA = await createPopulation(t, env, 'A');
    popB = await createPopulation(t, env, 'B');
    adminA = await createWorker(t, env, [{ role: 'Identity Data Admin', scope: { type: 'POPULATION', id: popA } }]);
    readerA = await createWorker(t, env, [{ role: 'Identity Data Read Only', scope: { type: 'POPULATION', id: popA } }]);
  });
  afterAll(async () => t.close());

  const groups = () => `/v1/environments/${env.environmentId}/groups`;
  const create = (body: object, token = env.token) => t.as(token).post(groups()).set('Content-Type', MediaTypes.JSON).send(body);

  describe('create and read', () => {
    it('creates an environment-wide group in PingOne’s shape, with absolute links and member counts', async () => {
      const { body } = await create({
        name: 'Engineering',
        description: 'Builds things',
        externalId: 'cn=eng',
        customData: { owner: 'Ada', n: 1 },
      }).expect(201);
      expect(body).toEqual({
        _links: {
          self: { href: `${BASE_URL}${groups()}/${body.id}` },
          environment: { href: `${BASE_URL}/v1/environments/${env.environmentId}` },
          memberOfGroups: { href: `${BASE_URL}${groups()}/${body.id}/memberOfGroups` },
        },
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        environment: { id: env.environmentId },
        name: 'Engineering',
        displayName: 'Engineering',
        description: 'Builds things',
        externalId: 'cn=eng',
        customData: { owner: 'Ada', n: 1 },
        directMemberCounts: { users: 0, groups: 0 },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const read = await api.get(`${groups()}/${body.id}?include=totalMemberCounts`).expect(200);
      expect(read.body).toMatchObject({ id: body.id, name: 'Engineering', totalMemberCounts: { users: 0 } });
    });

    it('binds a group to a population, whose link it carries', async () => {
      const { body } = await create({ name: 'Bound', population: { id: popA } }).expect(201);
      expect(body.population).toEqual({ id: popA });
      expect(body._links.population.href).toBe(`${BASE_URL}/v1/environments/${env.environmentId}/populations/${popA}`);
    });

    it('refuses bad input with 400 INVALID_DATA, never a 500', async () => {
      const cases: Array<[object, string]> = [
        [{}, 'name'],
        [{ name: '' }, 'name'],
        [{ name: 'x'.repeat(257) }, 'name'],
        [{ name: 'ok', customData: [1, 2] }, 'customData'],
        [{ name: 'ok', customData: 'text' }, 'customData'],
        [{ name: 'ok', customData: { big: 'x'.repeat(17_000) } }, 'customData'],
        [{ name: 'ok', population: { id: 'not-a-uuid' } }, 'population.id'],
        [{ name: 'ok', population: { id: MISSING } }, 'population.id'],
        [{ name: 'ok', id: MISSING }, 'id'],
        [{ name: 7 }, 'name'],
      ];
      for (const [input, target] of cases) {
        const { body } = await create(input).expect(400);
        expect({ input, code: body.code, targets: body.details.map((d: { target: string }) => d.target) }).toEqual({
          input,
          code: 'INVALID_DATA',
          targets: expect.arrayContaining([target]),
        });
      }
      const { body } = await create({ name: 'ok', customData: { big: 'x'.repeat(17_000) } }).expect(400);
      expect(body.details[0]).toMatchObject({ code: 'SIZE_LIMIT_EXCEEDED', target: 'customData' });
      await t.as(env.token).post(groups()).set('Content-Type', 'text/plain').send('x').expect(415);
      await api.get(`${groups()}/not-a-uuid`).expect(400);
      await api.get(`${groups()}/${MISSING}`).expect(404);
      await api.get(`${groups()}/${MISSING}?include=everything`).expect(400);
    });
  });

  describe('names: unique per population, never shared with an environment-wide group', () => {
    it('refuses a duplicate with PingOne’s uniqueness error naming the existing group', async () => {
      const first = (await create({ name: 'Sales' }).expect(201)).body;
      const { body } = await create({ name: 'Sales' }).expect(400);
      expect(body).toMatchObject({
        code: 'INVALID_DATA',
        details: [{ code: 'UNIQUENESS_VIOLATION', target: 'name', innerError: { existingId: first.id } }],
      });
      // An environment group's name is not open to a population's group either.
      await create({ name: 'Sales', population: { id: popA } }).expect(400);
    });

    it('reuses a name across populations, and refuses an environment group the name a population holds', async () => {
      await create({ name: 'Support', population: { id: popA } }).expect(201);
      await create({ name: 'Support', population: { id: popB } }).expect(201);
      await create({ name: 'Support', population: { id: popA } }).expect(400);
      await create({ name: 'Support' }).expect(400);
    });

    it('decides concurrent creations of one name in the database: exactly one wins', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => create({ name: 'Race' })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400, 400, 400, 400]);
      const { body } = await api.get(`${groups()}?filter=${encodeURIComponent('name eq "Race"')}`).expect(200);
      expect(body.count).toBe(1);
    });
  });

  describe('replace, patch and delete', () => {
    it('PUT replaces (clearing what it leaves out), PATCH changes what it names, DELETE answers 204 then 404', async () => {
      const { body: g } = await create({ name: 'Ops', description: 'd', externalId: 'e', customData: { a: 1 } }).expect(201);
      const put = await api.put(`${groups()}/${g.id}`).set('Content-Type', MediaTypes.JSON).send({ name: 'Ops 2' }).expect(200);
      expect(put.body).toMatchObject({ name: 'Ops 2' });
      expect(put.body).not.toHaveProperty('description');
      expect(put.body).not.toHaveProperty('customData');
      const patch = await api.patch(`${groups()}/${g.id}`).set('Content-Type', MediaTypes.JSON).send({ description: 'new' }).expect(200);
      expect(patch.body).toMatchObject({ name: 'Ops 2', description: 'new' });
      const cleared = await api.patch(`${groups()}/${g.id}`).set('Content-Type', MediaTypes.JSON).send({ description: null }).expect(200);
      expect(cleared.body).not.toHaveProperty('description');
      await api.patch(`${groups()}/${g.id}`).set('Content-Type', MediaTypes.JSON).send({ name: null }).expect(400);
      await api
        .patch(`${groups()}/${g.id}`)
        .set('Content-Type', MediaTypes.JSON)
        .send({ population: { id: popA } })
        .expect(400);
      await api.put(`${groups()}/${MISSING}`).set('Content-Type', MediaTypes.JSON).send({ name: 'x' }).expect(404);
      await api.delete(`${groups()}/${g.id}`).expect(204);
      await api.delete(`${groups()}/${g.id}`).expect(404);
      await api.get(`${groups()}/${g.id}`).expect(404);
    });

    it('renaming to a name in use is refused', async () => {
      await create({ name: 'Taken' }).expect(201);
      const { body: g } = await create({ name: 'Free' }).expect(201);
      await api.patch(`${groups()}/${g.id}`).set('Content-Type', MediaTypes.JSON).send({ name: 'Taken' }).expect(400);
      // Its own name is no conflict.
      await api.put(`${groups()}/${g.id}`).set('Content-Type', MediaTypes.JSON).send({ name: 'Free', description: 'x' }).expect(200);
    });
  });

  describe('list', () => {
    it('filters, pages with absolute next links, and always has _embedded.groups', async () => {
      for (const name of ['List-1', 'List-2', 'List-3']) await create({ name, externalId: `ext-${name}` }).expect(201);
      const filter = 'name sw "List-"';
      const seen: string[] = [];
      let next: string | undefined = `${groups()}?limit=2&filter=${encodeURIComponent(filter)}`;
      while (next) {
        const { body }: { body: any } = await api.get(next.replace(BASE_URL, '')).expect(200);
        expect(body.count).toBe(3);
        expect(body.size).toBe(body._embedded.groups.length);
        seen.push(...body._embedded.groups.map((g: { name: string }) => g.name));
        next = body._links.next?.href;
        if (next) expect(next.startsWith(`${BASE_URL}${groups()}?`)).toBe(true);
      }
      expect(seen.sort()).toEqual(['List-1', 'List-2', 'List-3']);
      const byExt = await api.get(`${groups()}?filter=${encodeURIComponent('externalId eq "ext-List-2" or name eq "List-3"')}`).expect(200);
      expect(byExt.body._embedded.groups.map((g: { name: string }) => g.name).sort()).toEqual(['List-2', 'List-3']);
      const none = await api.get(`${groups()}?filter=${encodeURIComponent('name eq "nothing"')}`).expect(200);
      expect(none.body).toMatchObject({ _embedded: { groups: [] }, count: 0, size: 0 });
      const pop = await api.get(`${groups()}?filter=${encodeURIComponent(`population.id eq "${popB}"`)}`).expect(200);
      expect(pop.body._embedded.groups.every((g: { population?: { id: string } }) => g.population?.id === popB)).toBe(true);
      const byId = await api
        .get(`${groups()}?filter=${encodeURIComponent(`id eq "${pop.body._embedded.groups[0].id}" and name sw "Supp"`)}`)
        .expect(200);
      expect(byId.body.count).toBe(1);
    });

    it('answers 400 for a bad filter, limit or cursor', async () => {
      for (const q of [
        'filter=nickname%20eq%20%22x%22',
        'filter=name%20gt%20%22x%22',
        'filter=name%20eq',
        'limit=0',
        'limit=1001',
        'cursor=junk',
      ]) {
        const { body } = await api.get(`${groups()}?${q}`).expect(400);
        expect(body.code).toBe('INVALID_DATA');
      }
    });
  });

  describe('access', () => {
    it('a token of another environment gets 403', async () => {
      await t.as(other.token).get(groups()).expect(403);
      await t.as(other.token).post(groups()).set('Content-Type', MediaTypes.JSON).send({ name: 'x' }).expect(403);
    });

    it('a population-scoped admin manages its population’s groups, reads environment-wide ones, and nothing of another population', async () => {
      const own = (await create({ name: 'A-team', population: { id: popA } }, adminA.token).expect(201)).body;
      await create({ name: 'B-team', population: { id: popB } }, adminA.token).expect(403);
      await create({ name: 'Everyone' }, adminA.token).expect(403);
      const envWide = (await create({ name: 'Company' }).expect(201)).body;
      const theirs = (await create({ name: 'B-only', population: { id: popB } }).expect(201)).body;
      await t.as(adminA.token).get(`${groups()}/${own.id}`).expect(200);
      await t.as(adminA.token).get(`${groups()}/${envWide.id}`).expect(200);
      await t.as(adminA.token).get(`${groups()}/${theirs.id}`).expect(403);
      await t.as(adminA.token).patch(`${groups()}/${own.id}`).set('Content-Type', MediaTypes.JSON).send({ description: 'x' }).expect(200);
      await t
        .as(adminA.token)
        .patch(`${groups()}/${envWide.id}`)
        .set('Content-Type', MediaTypes.JSON)
        .send({ description: 'x' })
        .expect(403);
      await t.as(adminA.token).delete(`${groups()}/${theirs.id}`).expect(403);
      await t.as(adminA.token).get(`${groups()}/${MISSING}`).expect(404);
      const { body } = await t.as(readerA.token).get(`${groups()}?limit=1000`).expect(200);
      const populations = new Set(body._embedded.groups.map((g: { population?: { id: string } }) => g.population?.id ?? 'environment'));
      expect([...populations].sort()).toEqual([popA, 'environment'].sort());
      await create({ name: 'nope' }, readerA.token).expect(403);
    });
  });
});
