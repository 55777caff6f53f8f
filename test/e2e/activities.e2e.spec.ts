import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import {
  BASE_URL,
  createEnvironment,
  createPopulation,
  createUser,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
} from '../support/test-app.js';

describe('the activity log (GET and POST /activities)', () => {
  let t: TestApp;
  let env: TestEnvironment;
  const path = () => `/v1/environments/${env.environmentId}/activities`;
  const since = new Date(Date.now() - 60_000).toISOString();
  const window = () => `recordedAt gt "${since}" and recordedAt lt "${new Date(Date.now() + 60_000).toISOString()}"`;
  const get = (query: string, token = env.token) => t.http.get(`${path()}?${query}`).set('Authorization', `Bearer ${token}`);
  const list = (filter: string, extra: Record<string, string> = {}, token = env.token) =>
    get(new URLSearchParams({ filter, ...extra }).toString(), token);

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
  });
  afterAll(async () => t.close());

  it('requires a date range, and says so', async () => {
    for (const query of [
      '',
      new URLSearchParams({ filter: 'action.type eq "USER.CREATED"' }).toString(),
      new URLSearchParams({ filter: `recordedAt gt "${since}"` }).toString(),
      new URLSearchParams({ filter: `recordedAt gt "${since}" or recordedAt lt "${since}"` }).toString(),
      new URLSearchParams({ filter: `recordedAt gt "yesterday" and recordedAt lt "${since}"` }).toString(),
    ]) {
      const response = await get(query).expect(400);
      expect(response.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code: 'INVALID_FILTER', target: 'filter' }] });
    }
    const { body } = await get('').expect(400);
    expect(body.details[0].message).toMatch(/date range/);
  });

  it('answers what PingOne answers: newest first, in _embedded.activities, each with its self link; the same filter by POST, as JSON or a form', async () => {
    const a = await createUser(t, env, { username: 'activity-a' });
    const b = await createUser(t, env, { username: 'activity-b' });
    const filter = `${window()} and action.type eq "USER.CREATED"`;
    const { body } = await list(filter).expect(200);
    const ids = body._embedded.activities.map((x: any) => x.resources[0].id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    const first = body._embedded.activities[0];
    expect(first._links.self.href).toBe(`${BASE_URL}${path()}/${first.id}`);
    expect(first).toMatchObject({ action: { type: 'USER.CREATED', description: 'User Created' }, result: { status: 'SUCCESS' } });
    expect(body._links.self.href).toContain(`${BASE_URL}${path()}?`);

    const byJson = await t.http
      .post(path())
      .set('Authorization', `Bearer ${env.token}`)
      .set('Content-Type', MediaTypes.JSON)
      .send(JSON.stringify({ filter }))
      .expect(200);
    const byForm = await t.http
      .post(path())
      .set('Authorization', `Bearer ${env.token}`)
      .set('Content-Type', MediaTypes.FORM)
      .send(new URLSearchParams({ filter }).toString())
      .expect(200);
    expect(byJson.body._embedded).toEqual(body._embedded);
    expect(byForm.body._embedded).toEqual(body._embedded);
    // The filter stays out of the links of a POST.
    expect(byJson.body._links.self.href).not.toContain('USER.CREATED');
  });

  it('accepts the spellings real clients send (recordedat, AND, limit=500)', async () => {
    const filter = `recordedat gt "${since}" AND recordedat lt "${new Date(Date.now() + 60_000).toISOString()}"`;
    const { body } = await list(filter, { limit: '500' }).expect(200);
    expect(body._embedded.activities.length).toBeGreaterThan(0);
  });

  it('pages with limit and absolute _links.next, following only the link, over every event exactly once', async () => {
    for (let i = 0; i < 5; i++) await createUser(t, env, { username: `paged-${i}` });
    const filter = `${window()} and action.type eq "USER.CREATED"`;
    const all = (await list(filter, { limit: '1000' }).expect(200)).body._embedded.activities.map((x: any) => x.id);
    const first = (await list(filter, { limit: '2' }).expect(200)).body;
    const seen: string[] = first._embedded.activities.map((x: any) => x.id);
    let next: string | undefined = first._links.next?.href;
    let pages = 1;
    while (next) {
      expect(next.startsWith(`${BASE_URL}${path()}?`)).toBe(true);
      const url = new URL(next);
      const { body } = await t.http.get(`${url.pathname}${url.search}`).set('Authorization', `Bearer ${env.token}`).expect(200);
      expect(body._embedded.activities.length).toBeLessThanOrEqual(2);
      seen.push(...body._embedded.activities.map((x: any) => x.id));
      next = body._links.next?.href;
      pages++;
    }
    expect(seen).toEqual(all);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('filters on resources.id, correlationId, actors.client.id and result.status', async () => {
    const user = await t.http
      .post(`/v1/environments/${env.environmentId}/users`)
      .set('Authorization', `Bearer ${env.token}`)
      .set('Content-Type', MediaTypes.JSON)
      .set('X-Ping-External-Transaction-ID', 'audit-4711')
      .send({ username: 'filtered' })
      .expect(201);
    const one = async (condition: string) => (await list(`${window()} and ${condition}`).expect(200)).body._embedded.activities;
    expect((await one(`resources.id eq "${user.body.id}"`)).map((x: any) => x.action.type)).toEqual(['USER.CREATED']);
    expect((await one('correlationId eq "audit-4711"')).map((x: any) => x.resources[0].id)).toEqual([user.body.id]);
    expect((await one(`actors.client.id eq "${env.clientId}"`)).length).toBeGreaterThan(0);
    expect(await one(`actors.client.id eq "${env.environmentId}"`)).toEqual([]);
    expect(await one('result.status eq "FAILED"')).toEqual([]);
  });

  it('reads one activity, 404 for an unknown id or one of another environment, and refuses a cursor of another filter', async () => {
    const { body } = await list(window()).expect(200);
    const id = body._embedded.activities[0].id;
    const one = await t.http.get(`${path()}/${id}`).set('Authorization', `Bearer ${env.token}`).expect(200);
    expect(one.body.id).toBe(id);
    await t.http.get(`${path()}/00000000-0000-4000-8000-000000000000`).set('Authorization', `Bearer ${env.token}`).expect(404);
    const other = await createEnvironment(t);
    await t.http.get(`/v1/environments/${other.environmentId}/activities/${id}`).set('Authorization', `Bearer ${other.token}`).expect(404);

    const paged = await list(window(), { limit: '1' }).expect(200);
    const cursor = new URL(paged.body._links.next.href).searchParams.get('cursor') as string;
    const refused = await list(`${window()} and action.type eq "USER.DELETED"`, { cursor }).expect(400);
    expect(refused.body.details[0]).toMatchObject({ target: 'cursor' });
    await get('cursor=garbage').expect(400);
  });

  it('shows a population-scoped caller only the events about users of its populations', async () => {
    const popA = await createPopulation(t, env, 'Audit A');
    const popB = await createPopulation(t, env, 'Audit B');
    const inA = await createUser(t, env, { username: 'audit-in-a', population: { id: popA } });
    const inB = await createUser(t, env, { username: 'audit-in-b', population: { id: popB } });
    const scoped = await createWorker(t, env, [{ role: 'Identity Data Read Only', scope: { type: 'POPULATION', id: popA } }]);

    const { body } = await list(window(), { limit: '1000' }, scoped.token).expect(200);
    const about = body._embedded.activities.map((x: any) => x.resources[0].id);
    expect(about).toContain(inA.id);
    expect(about).not.toContain(inB.id);
    expect(body._embedded.activities.every((x: any) => x.resources[0].population?.id === popA)).toBe(true);

    const all = (await list(`${window()} and resources.id eq "${inB.id}"`).expect(200)).body._embedded.activities;
    await t.http.get(`${path()}/${all[0].id}`).set('Authorization', `Bearer ${scoped.token}`).expect(404);
  });
});
