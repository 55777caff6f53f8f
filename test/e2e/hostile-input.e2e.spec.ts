import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { createEnvironment, createUser, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

/** Input an attacker or a broken client sends: each answers a PingOne 400/401, never a 500. */
describe('hostile input', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
    for (const username of ['percent-a', 'percent-b', 'under_score']) {
      await createUser(t, env, {
        username,
        externalId: username,
        email: `${username}@example.com`,
        name: { given: 'Gi%ven', family: 'Fam_ily' },
      });
    }
  });
  afterAll(async () => t.close());

  const pingOneError = { id: expect.any(String), code: expect.any(String), message: expect.any(String) };

  it('refuses a NUL character in a body value with 400', async () => {
    const response = await api
      .post(usersPath(env))
      .type(MediaTypes.JSON)
      .send(JSON.stringify({ username: 'nul\u0000user' }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ ...pingOneError, code: 'INVALID_DATA' });
    expect(JSON.stringify(response.body.details)).toMatch(/NUL/);
  });

  it('refuses a NUL character in a body key with 400', async () => {
    const response = await api
      .post(usersPath(env))
      .type(MediaTypes.JSON)
      .send(JSON.stringify({ username: 'nulkey', ['a\u0000']: 1 }));
    expect(response.status).toBe(400);
  });

  it('refuses a NUL character in a filter value with 400', async () => {
    const response = await api.get(usersPath(env)).query({ filter: 'username eq "a\u0000b"' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject(pingOneError);
  });

  it('refuses JSON nested far too deep with 400 before transforming it', async () => {
    const nested = (depth: number) => `{"username":"deep","name":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    for (const body of ['['.repeat(1800) + ']'.repeat(1800), nested(1800), nested(5000), nested(40)]) {
      const response = await api.post(usersPath(env)).type(MediaTypes.JSON).send(body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ ...pingOneError, code: 'INVALID_DATA' });
      expect(response.body.details[0].message).toMatch(/nests deeper than 32 levels/);
    }
  });

  it('runs a filter of as many and terms as the 2,048 characters hold, and of as many or terms', async () => {
    const all = Array.from({ length: 100 }, () => 'username sw "p"').join(' and ');
    expect(all.length).toBeLessThanOrEqual(2048);
    const response = await api.get(usersPath(env)).query({ filter: all });
    expect(response.status).toBe(200);
    expect(response.body._embedded.users).toHaveLength(2);
    const any = Array.from({ length: 70 }, (_, i) => `username eq "n${i}"`).join(' or ') + ' or username eq "percent-a"';
    expect(any.length).toBeLessThanOrEqual(2048);
    const either = await api.get(usersPath(env)).query({ filter: any });
    expect(either.status).toBe(200);
    expect(either.body._embedded.users).toHaveLength(1);
  });

  it('runs a filter nested as deep as documented, alternating and and or', async () => {
    let filter = 'username eq "percent-a"';
    for (let level = 0; level < 32; level++) filter = `(${filter} ${level % 2 ? 'and' : 'or'} enabled eq true)`;
    const response = await api.get(usersPath(env)).query({ filter });
    expect(response.status).toBe(200);
    expect(response.body._embedded.users).toHaveLength(3);
  });

  it('runs an activity filter of many and terms', async () => {
    const range = 'recordedAt gt "2026-01-01T00:00:00Z" and recordedAt lt "2999-01-01T00:00:00Z"';
    const filter = [range, ...Array.from({ length: 75 }, () => 'correlationId eq "c"')].join(' and ');
    const response = await api.get(`/v1/environments/${env.environmentId}/activities`).query({ filter });
    expect(filter.length).toBeLessThanOrEqual(2048);
    expect(response.status).toBe(200);
  });

  it('answers malformed percent-encoding in Basic credentials with invalid_client, not 500', async () => {
    const response = await t.http
      .post(`/${env.environmentId}/as/token`)
      .set('Authorization', `Basic ${Buffer.from('%E0%A4%A:%zz').toString('base64')}`)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
  });

  it.each(['-'.repeat(36), '%%%', 'x'.repeat(500), 'bnVsbA', 'eyJhZnRlciI6MX0', '____', 'a\u0000'])(
    'refuses the junk cursor %j with 400 on users and activities',
    async (cursor) => {
      for (const path of [usersPath(env), `/v1/environments/${env.environmentId}/activities`]) {
        const response = await api.get(path).query({ cursor });
        expect({ path, status: response.status }).toEqual({ path, status: 400 });
        expect(response.body).toMatchObject(pingOneError);
      }
    },
  );

  it.each([
    ['email', '%'],
    ['email', 'percent_a@example.com'],
    ['email', 'PERCENT-_@EXAMPLE.COM'],
    ['email', '\\\\'],
    ['name.given', '%'],
    ['name.family', 'Fam%'],
    ['name.given', 'Gi_%'],
    ['externalId', '%'],
    ['username', '%'],
    ['username', '_'],
  ])('matches %s eq "%s" literally, not as a LIKE pattern', async (attribute, value) => {
    const response = await api.get(usersPath(env)).query({ filter: `${attribute} eq "${value}"` });
    expect(response.status).toBe(200);
    expect(response.body._embedded.users).toEqual([]);
  });

  it('still matches eq and sw values holding LIKE characters literally', async () => {
    const exact = await api.get(usersPath(env)).query({ filter: 'name.given eq "gi%ven" and email eq "UNDER_SCORE@example.com"' });
    expect(exact.body._embedded.users.map((u: { username: string }) => u.username)).toEqual(['under_score']);
    const prefix = await api.get(usersPath(env)).query({ filter: 'email sw "under_"' });
    expect(prefix.body._embedded.users.map((u: { username: string }) => u.username)).toEqual(['under_score']);
  });
});
