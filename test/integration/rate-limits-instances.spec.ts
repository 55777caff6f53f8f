import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { checkPassword, userWithPassword } from '../support/passwords.js';
import { createEnvironment, startApp, type TestApp, type TestEnvironment } from '../support/test-app.js';

const CLIENT_BUDGET = 5;
const ADDRESS_BUDGET = 8;

/**
 * Two instances of the service on one Postgres share one budget per key: the counters are rows of
 * the `RateLimit` table, each moved by one atomic statement, so attempts fired at once through both
 * instances are answered exactly up to the budget, and 429 after it.
 */
describe('rate limits across two instances', () => {
  let own: OwnDatabase;
  let a: TestApp;
  let b: TestApp;
  let env: TestEnvironment;

  beforeAll(async () => {
    own = await ownDatabase(`identity_rate_limits_${process.pid}`);
    const rateLimits = {
      tokenPerClient: { attempts: CLIENT_BUDGET, windowSeconds: 60 },
      tokenPerAddress: null,
      passwordPerUser: null,
      passwordPerAddress: { attempts: ADDRESS_BUDGET, windowSeconds: 60 },
      otpPerUser: null,
      otpPerAddress: null,
    };
    a = await startApp({ rateLimits }, own.open);
    b = await startApp({ rateLimits }, own.open);
    env = await createEnvironment(a);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await own.drop();
  });

  const instance = (i: number) => (i % 2 === 0 ? a : b);

  it('answers wrong client secrets fired at once through both instances exactly up to the budget, then 429', async () => {
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        instance(i)
          .http.post(`/${env.environmentId}/as/token`)
          .auth(env.clientId, `wrong-${i}`)
          .type('form')
          .send({ grant_type: 'client_credentials' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(CLIENT_BUDGET);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - CLIENT_BUDGET);
    // Both instances refused some: the budget is one, not one per instance.
    expect(new Set(responses.filter((r) => r.status === 429).map((r) => responses.indexOf(r) % 2)).size).toBe(2);
    // The right secret waits for the window too, on either instance.
    for (const t of [a, b]) {
      await t.http
        .post(`/${env.environmentId}/as/token`)
        .auth(env.clientId, env.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(429);
    }
  });

  it('answers password guesses spread over many users, fired at once through both instances, exactly up to the address budget', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => userWithPassword(a, env, `spread-${i}@example.com`)));
    const responses = await Promise.all(ids.map((id, i) => checkPassword(instance(i), env, id, `Wrong-Guess-${i}`)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(ADDRESS_BUDGET);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - ADDRESS_BUDGET);
  });

  it('keeps the counters in the database the instances share', async () => {
    const db = new pg.Client({ connectionString: new URL(`/identity_rate_limits_${process.pid}`, process.env.DATABASE_URL).toString() });
    await db.connect();
    try {
      const { rows } = await db.query<{ key: string; points: number }>(`SELECT key, points FROM "RateLimit" ORDER BY key`);
      expect(rows.map((r) => r.key)).toEqual(
        expect.arrayContaining([`tokenPerClient:${env.environmentId}/${env.clientId}`, expect.stringMatching(/^passwordPerAddress:/)]),
      );
    } finally {
      await db.end();
    }
  });
});
