import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Activity } from '../../src/events/event-catalog.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import type { Api } from '../support/api.js';
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

const MISSING = '6c7b6a44-1111-4111-8111-111111111111';

/** Nested groups (`/groups/{id}/memberOfGroups`) and users' memberships (`/users/{id}/memberOfGroups`). */
describe('group nesting and group membership', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let other: TestEnvironment;
  let api: Api;
  let popA: string;
  let popB: string;
  let adminA: TestWorker;
  let n = 0;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    other = await createEnvironment(t);
    api = t.as(env.token);
    popA = await createPopulation(t, env, 'A');
    popB = await createPopulation(t, env, 'B');
    adminA = await createWorker(t, env, [{ role: 'Identity Data Admin', scope: { type: 'POPULATION', id: popA } }]);
  });
  afterAll(async () => t.close());

  const e = () => `/v1/environments/${env.environmentId}`;
  const post = (path: string, body: object, token = env.token) =>
    t.as(token).post(path).set('Content-Type', MediaTypes.JSON).set('X-Ping-External-Transaction-ID', 'membership-events').send(body);
  const group = async (populationId?: string) =>
    (await post(`${e()}/groups`, { name: `g-${++n}`, ...(populationId ? { population: { id: populationId } } : {}) }).expect(201)).body as {
      id: string;
      name: string;
    };
  const user = async (populationId = popA) =>
    (await createUser(t, env, { username: `member-${++n}@example.com`, population: { id: populationId } })).id as string;
  const nest = (child: string, parent: string, token?: string) => post(`${e()}/groups/${child}/memberOfGroups`, { id: parent }, token);
  const join = (userId: string, groupId: string, token?: string) => post(`${e()}/users/${userId}/memberOfGroups`, { id: groupId }, token);
  const eventsOf = async (resourceId: string): Promise<Activity[]> =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, resourceId)).map((row) => row.payload);

  describe('nesting', () => {
    it('nests a group (201), lists DIRECT and INDIRECT parents, reads and removes one', async () => {
      const [top, middle, bottom] = [await group(), await group(), await group()];
      const created = await nest(bottom.id, middle.id).expect(201);
      expect(created.body).toEqual({
        _links: {
          self: { href: `${BASE_URL}${e()}/groups/${bottom.id}/memberOfGroups/${middle.id}` },
          group: { href: `${BASE_URL}${e()}/groups/${middle.id}` },
        },
        id: middle.id,
        environment: { id: env.environmentId },
        name: middle.name,
        type: 'DIRECT',
      });
      await nest(middle.id, top.id).expect(201);
      const { body } = await api.get(`${e()}/groups/${bottom.id}/memberOfGroups`).expect(200);
      expect(body.size).toBe(2);
      expect(body._embedded.groupMemberships.map((m: { id: string; type: string }) => [m.id, m.type]).sort()).toEqual(
        [
          [middle.id, 'DIRECT'],
          [top.id, 'INDIRECT'],
        ].sort(),
      );
      const one = await api.get(`${e()}/groups/${bottom.id}/memberOfGroups/${top.id}`).expect(200);
      expect(one.body.type).toBe('INDIRECT');
      const counts = await api.get(`${e()}/groups/${middle.id}`).expect(200);
      expect(counts.body.directMemberCounts).toEqual({ users: 0, groups: 1 });
      await api.delete(`${e()}/groups/${bottom.id}/memberOfGroups/${middle.id}`).expect(204);
      await api.delete(`${e()}/groups/${bottom.id}/memberOfGroups/${middle.id}`).expect(404);
      await api.get(`${e()}/groups/${bottom.id}/memberOfGroups/${top.id}`).expect(404);
      const events = await eventsOf(bottom.id);
      expect(events.map((a) => a.action.type)).toEqual(expect.arrayContaining(['GROUP_NESTING.CREATED', 'GROUP_NESTING.DELETED']));
      const nested = events.find((a) => a.action.type === 'GROUP_NESTING.CREATED');
      expect(nested?.resources.map((r) => [r.type, r.id])).toEqual([
        ['GROUP', bottom.id],
        ['GROUP', middle.id],
      ]);
      expect(nested?.correlationId).toBe('membership-events');
    });

    it('refuses a cycle with 400, however long', async () => {
      const [a, b, c] = [await group(), await group(), await group()];
      await nest(a.id, b.id).expect(201);
      await nest(b.id, c.id).expect(201);
      for (const [child, parent] of [
        [c.id, a.id],
        [b.id, a.id],
        [a.id, a.id],
      ]) {
        const { body } = await nest(child, parent).expect(400);
        expect(body).toMatchObject({
          code: 'INVALID_DATA',
          details: [{ code: 'INVALID_VALUE', target: 'id', message: expect.stringMatching(/cycle/) }],
        });
      }
    });

    it('decides two concurrent opposite nestings in the database: one is created, the other refused', async () => {
      for (let round = 0; round < 5; round++) {
        const [a, b] = [await group(), await group()];
        const results = await Promise.all([nest(a.id, b.id), nest(b.id, a.id)]);
        expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
        const up = await Promise.all([a, b].map((g) => api.get(`${e()}/groups/${g.id}/memberOfGroups`).expect(200)));
        expect(up.map((r) => r.body.size).sort()).toEqual([0, 1]);
      }
    });

    it('refuses a chain deeper than ten groups', async () => {
      const chain = [];
      for (let i = 0; i < 11; i++) chain.push(await group());
      for (let i = 0; i < 9; i++) await nest(chain[i].id, chain[i + 1].id).expect(201);
      const { body } = await nest(chain[9].id, chain[10].id).expect(400);
      expect(body.details[0].message).toMatch(/at most 10/);
    });

    it('follows PingOne’s population rules, and answers 400, 404 and duplicates clearly', async () => {
      const envWide = await group();
      const inA = await group(popA);
      const inA2 = await group(popA);
      const inB = await group(popB);
      await nest(envWide.id, inA.id).expect(400); // an environment group never inside a population's
      await nest(inA.id, inB.id).expect(400); // nor across populations
      await nest(inA.id, envWide.id).expect(201);
      await nest(inA.id, inA2.id).expect(201);
      const dup = await nest(inA.id, inA2.id).expect(400);
      expect(dup.body.details[0].code).toBe('UNIQUENESS_VIOLATION');
      await nest(inA.id, MISSING).expect(400);
      await nest(MISSING, inA.id).expect(404);
      await nest(inA.id, 'nope').expect(400);
      await post(`${e()}/groups/${inA.id}/memberOfGroups`, {}).expect(400);
      await api.get(`${e()}/groups/${MISSING}/memberOfGroups`).expect(404);
      await api.get(`${e()}/groups/${inA.id}/memberOfGroups?filter=${encodeURIComponent('nope eq "x"')}`).expect(400);
    });

    it('lets a population admin nest its groups, and refuses another population or environment with 403', async () => {
      const inA = await group(popA);
      const inB = await group(popB);
      const envWide = await group();
      await nest(inA.id, envWide.id, adminA.token).expect(201);
      await nest(inB.id, envWide.id, adminA.token).expect(403);
      await nest(envWide.id, (await group()).id, adminA.token).expect(403);
      await t.as(adminA.token).get(`${e()}/groups/${inB.id}/memberOfGroups`).expect(403);
      await t.as(other.token).get(`${e()}/groups/${inA.id}/memberOfGroups`).expect(403);
    });
  });

  describe('user membership', () => {
    it('adds a user (201), lists DIRECT and INDIRECT groups with expand and filter, reads and removes one', async () => {
      const [outer, inner] = [await group(), await group(popA)];
      await nest(inner.id, outer.id).expect(201);
      const u = await user();
      const added = await join(u, inner.id).expect(201);
      expect(added.body).toEqual({
        _links: {
          self: { href: `${BASE_URL}${e()}/users/${u}/memberOfGroups/${inner.id}` },
          group: { href: `${BASE_URL}${e()}/groups/${inner.id}` },
        },
        id: inner.id,
        environment: { id: env.environmentId },
        name: inner.name,
        type: 'DIRECT',
      });
      const all = await api.get(`${e()}/users/${u}/memberOfGroups?expand=group`).expect(200);
      expect(all.body.size).toBe(2);
      const outerMembership = all.body._embedded.groupMemberships.find((m: { id: string }) => m.id === outer.id);
      expect(outerMembership).toMatchObject({ type: 'INDIRECT', _embedded: { group: { id: outer.id, name: outer.name } } });
      const direct = await api.get(`${e()}/users/${u}/memberOfGroups?filter=${encodeURIComponent('type eq "DIRECT"')}`).expect(200);
      expect(direct.body._embedded.groupMemberships.map((m: { id: string }) => m.id)).toEqual([inner.id]);
      const paged = await api.get(`${e()}/users/${u}/memberOfGroups?limit=1`).expect(200);
      expect(paged.body.size).toBe(1);
      const rest = await api.get(paged.body._links.next.href.replace(BASE_URL, '')).expect(200);
      expect(rest.body.size).toBe(1);
      expect(rest.body._links.next).toBeUndefined();
      expect((await api.get(`${e()}/users/${u}/memberOfGroups/${outer.id}`).expect(200)).body.type).toBe('INDIRECT');
      expect((await api.get(`${e()}/groups/${inner.id}`).expect(200)).body.directMemberCounts.users).toBe(1);
      const total = await api.get(`${e()}/groups/${outer.id}?include=totalMemberCounts`).expect(200);
      expect(total.body).toMatchObject({ directMemberCounts: { users: 0, groups: 1 }, totalMemberCounts: { users: 1 } });
      // An indirect membership is not removed on its own: it ends with the nesting.
      await api.delete(`${e()}/users/${u}/memberOfGroups/${outer.id}`).expect(404);
      await api.delete(`${e()}/users/${u}/memberOfGroups/${inner.id}`).expect(204);
      await api.delete(`${e()}/users/${u}/memberOfGroups/${inner.id}`).expect(404);
      await api.get(`${e()}/users/${u}/memberOfGroups/${inner.id}`).expect(404);
      const events = await eventsOf(u);
      const types = events.map((a) => a.action.type);
      expect(types).toEqual(expect.arrayContaining(['GROUP_MEMBERSHIP.CREATED', 'GROUP_MEMBERSHIP.DELETED']));
      const joined = events.find((a) => a.action.type === 'GROUP_MEMBERSHIP.CREATED');
      expect(joined?.resources.map((r) => [r.type, r.id])).toEqual([
        ['USER', u],
        ['GROUP', inner.id],
      ]);
      expect(joined?.resources[0]?.population).toEqual({ id: popA });
    });

    it('keeps a population’s group to that population’s users, and answers 400 and 404 clearly', async () => {
      const inB = await group(popB);
      const u = await user(popA);
      const refused = await join(u, inB.id).expect(400);
      expect(refused.body.details[0]).toMatchObject({ code: 'INVALID_VALUE', target: 'id' });
      const envWide = await group();
      await join(u, envWide.id).expect(201);
      expect((await join(u, envWide.id).expect(400)).body.details[0].code).toBe('UNIQUENESS_VIOLATION');
      await join(u, MISSING).expect(400);
      await join(MISSING, envWide.id).expect(404);
      await join(u, 'x').expect(400);
      await post(`${e()}/users/${u}/memberOfGroups`, { id: envWide.id, extra: 1 }).expect(400);
      await t.as(env.token).post(`${e()}/users/${u}/memberOfGroups`).set('Content-Type', 'text/plain').send('x').expect(415);
      await api.get(`${e()}/users/${MISSING}/memberOfGroups`).expect(404);
      await api.get(`${e()}/users/${u}/memberOfGroups?expand=everything`).expect(400);
      await api.get(`${e()}/users/${u}/memberOfGroups?filter=${encodeURIComponent('type gt "x"')}`).expect(400);
      await api.get(`${e()}/users/${u}/memberOfGroups/not-an-id`).expect(400);
    });

    it('a population admin adds its users to its and the environment’s groups; another population’s user is 404, another environment 403', async () => {
      const mine = await user(popA);
      const theirs = await user(popB);
      const envWide = await group();
      await join(mine, envWide.id, adminA.token).expect(201);
      await join(theirs, envWide.id, adminA.token).expect(404);
      await t.as(adminA.token).get(`${e()}/users/${theirs}/memberOfGroups`).expect(404);
      await t.as(adminA.token).get(`${e()}/users/${mine}/memberOfGroups`).expect(200);
      await t.as(other.token).get(`${e()}/users/${mine}/memberOfGroups`).expect(403);
    });

    it('deleting a group removes its memberships and nestings, recording GROUP.DELETED', async () => {
      const [parent, doomed] = [await group(), await group()];
      await nest(doomed.id, parent.id).expect(201);
      const u = await user();
      await join(u, doomed.id).expect(201);
      await api.delete(`${e()}/groups/${doomed.id}`).expect(204);
      expect((await api.get(`${e()}/users/${u}/memberOfGroups`).expect(200)).body.size).toBe(0);
      expect((await api.get(`${e()}/groups/${parent.id}`).expect(200)).body.directMemberCounts).toEqual({ users: 0, groups: 0 });
      const types = (await eventsOf(doomed.id)).map((a) => a.action.type);
      expect(types).toEqual(expect.arrayContaining(['GROUP.CREATED', 'GROUP.DELETED']));
    });

    it('records GROUP.CREATED and GROUP.UPDATED with the group as resource and its population', async () => {
      const g = await group(popA);
      await api.patch(`${e()}/groups/${g.id}`).set('Content-Type', MediaTypes.JSON).send({ description: 'x' }).expect(200);
      const events = await eventsOf(g.id);
      expect(events.map((a) => a.action.type)).toEqual(expect.arrayContaining(['GROUP.CREATED', 'GROUP.UPDATED']));
      expect(events[0]?.resources[0]).toMatchObject({ type: 'GROUP', id: g.id, name: g.name, population: { id: popA } });
    });
  });
});
