import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { RelayRepository } from '../../src/events/index.js';
import { labelSets, sample } from '../support/metrics.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import {
  createEnvironment,
  createUser,
  lockUser,
  startApp,
  type TestApp,
  type TestEnvironment,
  usersPath,
  usesEmbeddedDatabase,
} from '../support/test-app.js';

const TOKEN = 'metrics-token-for-the-e2e-suite';
const USER_ROUTE = '/v1/environments/:envId/users/:userId';

describe('GET /metrics', () => {
  let database: OwnDatabase | undefined;
  let t: TestApp;
  let env: TestEnvironment;

  beforeAll(async () => {
    // A database of its own: the event backlog counts every event of the database.
    if (!usesEmbeddedDatabase()) database = await ownDatabase(`identity_metrics_${process.pid}`);
    t = await startApp({ metricsToken: TOKEN }, database?.open);
    env = await createEnvironment(t);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  const scrape = async () => {
    const response = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return response.text;
  };

  it('answers only the bearer of METRICS_TOKEN, never an access token', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${env.token}`, `Basic ${TOKEN}`]) {
      let request = t.http.get('/metrics');
      if (authorization) request = request.set('Authorization', authorization);
      const response = await request.expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toMatchObject({ code: 'ACCESS_FAILED', details: [{ code: 'INVALID_TOKEN' }] });
    }
    const text = await scrape();
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('is not served at all without METRICS_TOKEN', async () => {
    const off = await startApp({}, database?.open);
    try {
      const response = await off.http.get('/metrics').expect(404);
      expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await off.close();
    }
  });

  it('counts an unlock exactly once, and times requests by route template, never by raw URL', async () => {
    const user = await createUser(t, env, { username: 'metrics@example.com' });
    await lockUser(t, env, user.id);
    const before = await scrape();
    const unlock = () =>
      t
        .as(env.token)
        .post(`${usersPath(env)}/${user.id}`)
        .set('Content-Type', MediaTypes.ACCOUNT_UNLOCK)
        .expect(200);
    await unlock();
    await unlock(); // not locked any more: no change, no event, no count
    const after = await scrape();
    const unlocks = (text: string) => sample(text, 'identity_account_unlocks_total', { cause: 'admin' }) as number;
    expect(unlocks(after) - unlocks(before)).toBe(1);

    const unlockSeries = { method: 'POST', route: USER_ROUTE, status_code: '200' };
    const count = (text: string) => sample(text, 'http_request_duration_seconds_count', unlockSeries) ?? 0;
    expect(count(after) - count(before)).toBe(2);
    expect(sample(after, 'http_request_duration_seconds_bucket', { ...unlockSeries, le: '+Inf' })).toBe(count(after));
    expect(after).not.toContain(user.id);
    expect(after).not.toContain(env.environmentId);
  });

  it('puts every request no route matched under one route label', async () => {
    const ids = ['0b7e6a4c-3d2f-4e1a-9b8c-7d6e5f4a3b2c', '1c8f7b5d-4e3a-4f2b-8c9d-8e7f6a5b4c3d'];
    for (const id of ids) await t.http.get(`/no/such/route/${id}`).expect(404);
    await t.http.delete('/health').expect(405);
    const text = await scrape();
    expect(
      sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'DELETE', route: 'unmatched', status_code: '405' })).toBe(1);
    for (const id of ids) expect(text).not.toContain(id);
    const routes = new Set(labelSets(text, 'http_request_duration_seconds_count').map((labels) => /route="([^"]*)"/.exec(labels)?.[1]));
    for (const route of routes) expect(route === 'unmatched' || route?.startsWith('/')).toBe(true);
  });

  it("reports the pool's use on PostgreSQL, and nothing for the embedded database, which has none", async () => {
    const text = await scrape();
    if (usesEmbeddedDatabase()) {
      expect(sample(text, 'identity_db_pool_connections')).toBeUndefined();
      return;
    }
    expect(sample(text, 'identity_db_pool_max_connections')).toBe(t.config.databasePoolSize);
    expect(sample(text, 'identity_db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'identity_db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'identity_db_pool_waiting_queries')).toBe(0);
  });

  it("reports each subscription's backlog: the events placed after its cursor, and the age of the oldest", async () => {
    const place = () => t.app.get(TransactionHost).run(() => t.app.get(RelayRepository).placeCommitted(1000));
    await place(); // whatever this suite recorded so far is behind every cursor made from now on
    const { body } = await t
      .as(env.token)
      .post(`/v1/environments/${env.environmentId}/subscriptions`)
      .type(MediaTypes.JSON)
      .send({
        name: 'metrics',
        enabled: true,
        filterOptions: { includedActionTypes: ['USER.LOCKED'] },
        httpEndpoint: { url: 'https://93.184.216.34/hook' },
        verifyTlsCertificates: true,
      })
      .expect(201);
    const consumer = { consumer: body.id as string };
    const user = await createUser(t, env, { username: 'backlog@example.com' });
    await lockUser(t, env, user.id);
    await place(); // SUBSCRIPTION.CREATED, USER.CREATED and USER.LOCKED: nobody delivers them here
    await new Promise((resolve) => setTimeout(resolve, 20));
    const text = await scrape();
    expect(sample(text, 'identity_event_backlog_events', consumer)).toBe(3);
    const age = sample(text, 'identity_event_backlog_oldest_age_seconds', consumer) as number;
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThan(60);
  });
});
