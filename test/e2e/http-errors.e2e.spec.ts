import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IS_PUBLIC_KEY } from '../../src/common/authorization/public.decorator.js';
import { RouteCatalog } from '../../src/common/http/route-catalog.js';
import { openPostgres } from '../../src/database/database.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { createEnvironment, createUser, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

/** Routes that answer without a token, and why. Anything else must demand one. */
const PUBLIC_ROUTES = [
  'POST /:envId/as/token',
  'GET /:envId/as/jwks',
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  // Needs METRICS_TOKEN, not an access token (and is not served without one): metrics.e2e.spec.ts.
  'GET /metrics',
  // The API's description, for client generators and for people.
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/:asset',
];

describe('errors and routing', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
  });
  afterAll(async () => t.close());

  it('walks every route: each one is either public by intent or refuses a request without a token', async () => {
    const routes = t.app.get(RouteCatalog).all();
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const sample = (path: string) => path.replace(':envId', env.environmentId).replace(':userId', '6f1c1f3e-7a34-4d5e-9b1e-2f0c9a1b2c3d');
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      if (PUBLIC_ROUTES.includes(key)) continue;
      const response = await t.http[method.toLowerCase() as 'get'](sample(path)).set('Content-Type', MediaTypes.ACCOUNT_UNLOCK);
      expect({ route: key, status: response.status }).toEqual({ route: key, status: 401 });
    }
    // And the public list holds nothing the application does not serve.
    const served = routes.map((r) => `${r.method} ${r.path}`);
    for (const route of PUBLIC_ROUTES) expect(served).toContain(route);
    expect(IS_PUBLIC_KEY).toBe('isPublic');
  });

  it('answers an unknown route with 404 NOT_FOUND in the PingOne body', async () => {
    const response = await api.get('/v1/nothing/here').expect(404);
    expect(response.body).toEqual({ id: expect.any(String), code: 'NOT_FOUND', message: expect.any(String) });
  });

  it('answers a known path with a wrong method with 405 and an Allow header', async () => {
    const response = await api.delete(usersPath(env)).expect(405);
    expect(response.body.code).toBe('INVALID_REQUEST');
    expect(response.headers.allow).toBe('GET, POST');
  });

  it('refuses an oversized body with 400 SIZE_LIMIT_EXCEEDED', async () => {
    const response = await api
      .post(usersPath(env))
      .set('Content-Type', MediaTypes.JSON)
      .send(JSON.stringify({ username: 'big', nickname: 'x'.repeat(70_000) }))
      .expect(400);
    expect(response.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code: 'SIZE_LIMIT_EXCEEDED' }] });
  });

  it('refuses a non-JSON body on a JSON route with 415, never a 500', async () => {
    const response = await api.post(usersPath(env)).set('Content-Type', 'text/plain').send('username=x').expect(415);
    expect(response.body.details[0].innerError.allowedValues).toEqual([MediaTypes.JSON, MediaTypes.USER_IMPORT]);
  });

  it('answers a malformed percent-encoding in the URL with a PingOne 400 or 404, never a 500', async () => {
    const response = await api.get(`${usersPath(env)}/%E0%A4%A`);
    expect([400, 404]).toContain(response.status);
    expect(response.body.code).toBeDefined();
    // PingOne's body with its correlation id, not the router's own `{statusCode, error}` body.
    expect(typeof response.body.id).toBe('string');
    expect(response.body).not.toHaveProperty('statusCode');
    expect(response.headers['correlation-id']).toEqual(expect.any(String));
  });

  it('answers a path parameter too long for the router with a PingOne 400, before authentication', async () => {
    const response = await t.http.get(`/v1/environments/${'a'.repeat(120)}/users`).expect(400);
    expect(response.body).toMatchObject({ id: expect.any(String), code: 'INVALID_REQUEST' });
  });

  it('echoes the caller’s transaction id as Correlation-Id, sanitised and capped at 100 characters', async () => {
    const user = await createUser(t, env, { username: 'corr@example.com' });
    const ok = await api
      .get(`${usersPath(env)}/${user.id}`)
      .set('X-Ping-External-Transaction-ID', 'abc-123<script>')
      .expect(200);
    expect(ok.headers['correlation-id']).toBe('abc-123script');
    const long = await api
      .get(`${usersPath(env)}/${user.id}`)
      .set('X-Ping-External-Transaction-ID', 'a'.repeat(300))
      .expect(200);
    expect(long.headers['correlation-id']).toHaveLength(100);
    const generated = await api.get(`${usersPath(env)}/${user.id}`).expect(200);
    expect(generated.headers['correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('database unreachable', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let token: string;

  beforeAll(async () => {
    // A working app first, to mint a token; then an app whose database is gone.
    const healthy = await startApp();
    env = await createEnvironment(healthy);
    token = env.token;
    await healthy.close();
    t = await startApp({}, () => Promise.resolve(openPostgres('postgresql://postgres@127.0.0.1:1/nowhere', 1)));
  });
  afterAll(async () => t.close());

  it('answers 503 with Retry-After and the PingOne body, never a stack trace', async () => {
    const response = await t.as(token).get(usersPath(env)).expect(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toEqual({ id: expect.any(String), code: 'UNEXPECTED_ERROR', message: expect.any(String) });
    expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|at .*\.js|prisma/i);
    await t.http.get('/health').expect(503);
  });
});
