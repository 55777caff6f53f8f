import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import {
  createEnvironment,
  createPopulation,
  createUser,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
  type TestWorker,
} from '../support/test-app.js';

/** Group membership in user reads: the memberOfGroups filter and include=memberOfGroupIDs,memberOfGroupNames. */
describe('users by group: filter=memberOfGroups[id eq "..."] and include', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;
  let popA: string;
  let popB: string;
  let adminA: TestWorker;
  const g: Record<'top' | 'mid' | 'leaf' | 'other', { id: string; name: string }> = {} as never;
  const u: Record<'direct' | 'viaMid' | 'viaLeaf' | 'outsider' | 'inB', string> = {} as never;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
    popA = await createPopulation(t, env, 'A');
    popB = await createPopulation(t, env, 'B');
    adminA = await createWorker(t, env, [{ role: 'Identity Data Admin', scope: { type: 'POPULATION', id: popA } }]);
    const post = (path: string, body: object) =>
      api.post(`/v1/environments/${env.environmentId}${path}`).set('Content-Type', MediaTypes.JSON).send(body);
    for (const name of ['top', 'mid', 'leaf', 'other'] as const)
      g[name] = (await post('/groups', { name: `${name}-group` }).expect(201)).body;
    await post(`/groups/${g.leaf.id}/memberOfGroups`, { id: g.mid.id }).expect(201);
    await post(`/groups/${g.mid.id}/memberOfGroups`, { id: g.top.id }).expect(201);
    const user = async (name: string, population = popA) =>
      (
        await createUser(t, env, {
          username: `${name}@example.com`,
          name: { family: name === 'inB' ? 'Bee' : 'Ay' },
          population: { id: population },
        })
      ).id as string;
    for (const name of ['direct', 'viaMid', 'viaLeaf', 'outsider'] as const) u[name] = await user(name);
    u.inB = await user('inB', popB);
    await post(`/users/${u.direct}/memberOfGroups`, { id: g.top.id }).expect(201);
    await post(`/users/${u.viaMid}/memberOfGroups`, { id: g.mid.id }).expect(201);
    await post(`/users/${u.viaLeaf}/memberOfGroups`, { id: g.leaf.id }).expect(201);
    await post(`/users/${u.inB}/memberOfGroups`, { id: g.leaf.id }).expect(201);
    await post(`/users/${u.outsider}/memberOfGroups`, { id: g.other.id }).expect(201);
  });
  afterAll(async () => t.close());

  const users = () => `/v1/environments/${env.environmentId}/users`;
  const ids = (body: { _embedded: { users: Array<{ id: string }> } }) => body._embedded.users.map((x) => x.id).sort();

  it('lists direct and indirect members, with the brackets sent unencoded as tools send them', async () => {
    // Only the spaces are encoded: brackets and quotes arrive as typed.
    const { body } = await api.get(`${users()}?filter=memberOfGroups[id%20eq%20"${g.top.id}"]`).expect(200);
    expect(ids(body)).toEqual([u.direct, u.viaMid, u.viaLeaf, u.inB].sort());
    expect(body.count).toBe(4);
    const mid = await api.get(`${users()}?filter=${encodeURIComponent(`memberOfGroups[id eq "${g.mid.id}"]`)}`).expect(200);
    expect(ids(mid.body)).toEqual([u.viaMid, u.viaLeaf, u.inB].sort());
    const leaf = await api.get(`${users()}?filter=memberOfGroups[id eq "${g.leaf.id.toUpperCase()}"]`.replace(/ /g, '%20')).expect(200);
    expect(ids(leaf.body)).toEqual([u.viaLeaf, u.inB].sort());
  });

  it('combines with other attributes through and/or, and pages like any user list', async () => {
    const both = await api
      .get(`${users()}?filter=${encodeURIComponent(`memberOfGroups[id eq "${g.leaf.id}"] and name.family eq "Bee"`)}`)
      .expect(200);
    expect(ids(both.body)).toEqual([u.inB]);
    const either = await api
      .get(`${users()}?filter=${encodeURIComponent(`memberOfGroups[id eq "${g.other.id}"] or memberOfGroups[id eq "${g.leaf.id}"]`)}`)
      .expect(200);
    expect(ids(either.body)).toEqual([u.outsider, u.viaLeaf, u.inB].sort());
    const first = await api.get(`${users()}?limit=2&filter=memberOfGroups[id%20eq%20"${g.top.id}"]`).expect(200);
    expect(first.body.size).toBe(2);
    const second = await api.get(first.body._links.next.href.replace('http://localhost:3000', '')).expect(200);
    expect([...ids(first.body), ...ids(second.body)].sort()).toEqual([u.direct, u.viaMid, u.viaLeaf, u.inB].sort());
  });

  it('matches nothing for an unknown or malformed group id, and refuses a malformed filter with 400', async () => {
    const none = await api.get(`${users()}?filter=memberOfGroups[id%20eq%20"6c7b6a44-1111-4111-8111-111111111111"]`).expect(200);
    expect(none.body).toMatchObject({ count: 0, _embedded: { users: [] } });
    const junk = await api.get(`${users()}?filter=memberOfGroups[id%20eq%20"junk"]`).expect(200);
    expect(junk.body.count).toBe(0);
    for (const filter of [
      'memberOfGroups eq "x"',
      'memberOfGroups[name eq "x"]',
      'memberOfGroups[id eq "x"',
      'memberOfGroups[id sw "x"]',
      'id[id eq "x"]',
    ]) {
      const { body } = await api.get(`${users()}?filter=${encodeURIComponent(filter)}`).expect(400);
      expect(body.details[0]).toMatchObject({ code: 'INVALID_FILTER', target: 'filter' });
    }
  });

  it('narrows to a population-scoped caller’s users', async () => {
    const { body } = await t.as(adminA.token).get(`${users()}?filter=memberOfGroups[id%20eq%20"${g.leaf.id}"]`).expect(200);
    expect(ids(body)).toEqual([u.viaLeaf]);
  });

  it('include=memberOfGroupIDs,memberOfGroupNames adds every group of the user, direct and nested', async () => {
    const one = await api.get(`${users()}/${u.viaLeaf}?include=memberOfGroupIDs,memberOfGroupNames`).expect(200);
    expect([...one.body.memberOfGroupIDs].sort()).toEqual([g.top.id, g.mid.id, g.leaf.id].sort());
    expect([...one.body.memberOfGroupNames].sort()).toEqual(['leaf-group', 'mid-group', 'top-group']);
    const idsOnly = await api.get(`${users()}/${u.outsider}?include=memberOfGroupIDs`).expect(200);
    expect(idsOnly.body.memberOfGroupIDs).toEqual([g.other.id]);
    expect(idsOnly.body).not.toHaveProperty('memberOfGroupNames');
    const plain = await api.get(`${users()}/${u.viaLeaf}`).expect(200);
    expect(plain.body).not.toHaveProperty('memberOfGroupIDs');
    expect(plain.body._links.memberOfGroups.href).toBe(`http://localhost:3000${users()}/${u.viaLeaf}/memberOfGroups`);
    await api.get(plain.body._links.memberOfGroups.href.replace('http://localhost:3000', '')).expect(200);
    const list = await api.get(`${users()}?include=memberOfGroupNames&limit=2`).expect(200);
    for (const user of list.body._embedded.users) expect(Array.isArray(user.memberOfGroupNames)).toBe(true);
    expect(list.body._links.next.href).toContain('include=memberOfGroupNames');
    await api.get(`${users()}/${u.viaLeaf}?include=everything`).expect(400);
    await api.get(`${users()}?include=memberOfGroupIDs,`).expect(400);
  });

  it('a user moved to another population leaves the groups bound to the population it left', async () => {
    const post = (path: string, body: object) =>
      api.post(`/v1/environments/${env.environmentId}${path}`).set('Content-Type', MediaTypes.JSON).send(body);
    const bound = (await post('/groups', { name: 'A only', population: { id: popA } }).expect(201)).body;
    const mover = (await createUser(t, env, { username: 'mover@example.com', population: { id: popA } })).id as string;
    await post(`/users/${mover}/memberOfGroups`, { id: bound.id }).expect(201);
    await post(`/users/${mover}/memberOfGroups`, { id: g.other.id }).expect(201);
    await api
      .patch(`${users()}/${mover}`)
      .set('Content-Type', MediaTypes.JSON)
      .send({ population: { id: popB } })
      .expect(200);
    const { body } = await api.get(`${users()}/${mover}?include=memberOfGroupIDs`).expect(200);
    expect(body.memberOfGroupIDs).toEqual([g.other.id]);
  });
});
