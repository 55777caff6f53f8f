import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import {
  BASE_URL,
  createEnvironment,
  createPopulation,
  createUser,
  startApp,
  type TestApp,
  type TestEnvironment,
} from '../support/test-app.js';

/**
 * The calls a catalog importer makes against PingOne, in its order: a token with client
 * credentials; every group, two per page, by following `_links.next`; each group's members by the
 * bracket filter (brackets unencoded); each group's parents; then every user, paged.
 */
describe('an importer walks groups, members, nesting and users', () => {
  let t: TestApp;
  let env: TestEnvironment;
  const expected = { groups: new Map<string, string>(), members: new Map<string, string[]>(), parents: new Map<string, string[]>() };
  const userIds: string[] = [];

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    const api = t.as(env.token);
    const pop = await createPopulation(t, env, 'Staff');
    const post = (path: string, body: object) =>
      api.post(`/v1/environments/${env.environmentId}${path}`).set('Content-Type', MediaTypes.JSON).send(body);
    for (const name of ['Company', 'Engineering', 'Platform', 'Sales', 'Empty']) {
      const { body } = await post('/groups', { name, ...(name === 'Sales' ? { population: { id: pop } } : {}) }).expect(201);
      expected.groups.set(name, body.id);
    }
    const id = (name: string) => expected.groups.get(name)!;
    await post(`/groups/${id('Platform')}/memberOfGroups`, { id: id('Engineering') }).expect(201);
    await post(`/groups/${id('Engineering')}/memberOfGroups`, { id: id('Company') }).expect(201);
    await post(`/groups/${id('Sales')}/memberOfGroups`, { id: id('Company') }).expect(201);
    for (let i = 0; i < 7; i++)
      userIds.push((await createUser(t, env, { username: `importee-${i}@example.com`, population: { id: pop } })).id);
    const joins: Array<[number, string]> = [
      [0, 'Platform'],
      [1, 'Platform'],
      [2, 'Engineering'],
      [3, 'Sales'],
      [4, 'Company'],
    ];
    for (const [user, group] of joins) await post(`/users/${userIds[user]}/memberOfGroups`, { id: id(group) }).expect(201);
    const u = (...indexes: number[]) => indexes.map((i) => userIds[i]).sort();
    expected.members.set(id('Platform'), u(0, 1));
    expected.members.set(id('Engineering'), u(0, 1, 2));
    expected.members.set(id('Sales'), u(3));
    expected.members.set(id('Company'), u(0, 1, 2, 3, 4));
    expected.members.set(id('Empty'), []);
    expected.parents.set(id('Platform'), [id('Engineering'), id('Company')].sort());
    expected.parents.set(id('Engineering'), [id('Company')]);
    expected.parents.set(id('Sales'), [id('Company')]);
    expected.parents.set(id('Company'), []);
    expected.parents.set(id('Empty'), []);
  });
  afterAll(async () => t.close());

  it('reads everything it needs through the public API alone', async () => {
    // 1. A token, as a worker application gets one.
    const tokenResponse = await t.http
      .post(`/${env.environmentId}/as/token`)
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: env.clientId, client_secret: env.clientSecret })
      .expect(200);
    const importer = t.as(tokenResponse.body.access_token as string);
    const follow = async (href: string) => (await importer.get(href.replace(BASE_URL, '')).expect(200)).body;

    // 2. Every group, two per page, following the absolute next links.
    const groups: Array<{ id: string; name: string }> = [];
    let page = await follow(`${BASE_URL}/v1/environments/${env.environmentId}/groups?limit=2`);
    for (;;) {
      expect(page.size).toBeLessThanOrEqual(2);
      groups.push(...page._embedded.groups);
      if (!page._links.next) break;
      expect(page._links.next.href).toMatch(new RegExp(`^${BASE_URL}/v1/environments/${env.environmentId}/groups\\?`));
      page = await follow(page._links.next.href);
    }
    expect(new Map(groups.map((g) => [g.name, g.id]))).toEqual(expected.groups);

    for (const group of groups) {
      // 3. The members, by the bracket filter exactly as tools write it (only spaces encoded), paged.
      const members: string[] = [];
      let users = await follow(
        `${BASE_URL}/v1/environments/${env.environmentId}/users?limit=2&filter=memberOfGroups[id%20eq%20"${group.id}"]`,
      );
      for (;;) {
        members.push(...users._embedded.users.map((u: { id: string }) => u.id));
        if (!users._links.next) break;
        users = await follow(users._links.next.href);
      }
      expect({ group: group.name, members: members.sort() }).toEqual({ group: group.name, members: expected.members.get(group.id) });

      // 4. The groups it is nested in.
      const parents = await follow(`${BASE_URL}/v1/environments/${env.environmentId}/groups/${group.id}/memberOfGroups`);
      const parentIds = parents._embedded.groupMemberships.map((m: { id: string }) => m.id).sort();
      expect({ group: group.name, parents: parentIds }).toEqual({ group: group.name, parents: expected.parents.get(group.id) });
    }

    // 5. Every user, paged, with their group names.
    const everyone: Array<{ id: string; memberOfGroupNames: string[] }> = [];
    let all = await follow(`${BASE_URL}/v1/environments/${env.environmentId}/users?limit=3&include=memberOfGroupNames`);
    for (;;) {
      everyone.push(...all._embedded.users);
      if (!all._links.next) break;
      all = await follow(all._links.next.href);
    }
    expect(everyone.map((u) => u.id).sort()).toEqual([...userIds].sort());
    expect(everyone.find((u) => u.id === userIds[0])?.memberOfGroupNames.sort()).toEqual(['Company', 'Engineering', 'Platform']);
    expect(everyone.find((u) => u.id === userIds[6])?.memberOfGroupNames).toEqual([]);
  });
});
