import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { roleByName } from '../../src/common/authorization/roles.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import { type Route, RouteCatalog } from '../../src/common/http/route-catalog.js';
import {
  createEnvironment,
  createPopulation,
  createUser,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
  usersPath,
} from '../support/test-app.js';

/**
 * Property-based fuzzing of every route the application serves: hostile bodies (random JSON, deep
 * nesting, NUL characters, huge strings, wrong types), filters (the grammar and junk), ids,
 * cursors, Authorization headers and media types, with the admin's token and without one. The
 * invariant: no 5xx, every error in PingOne's shape (OAuth's at the token endpoint), and the
 * service still ready afterwards.
 *
 * FUZZ_RUNS sets the number of cases (default 2,500 over all routes), FUZZ_SEED the seed (default
 * fixed, so a run is reproducible; a failure prints the seed and fast-check's counterexample path).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

describe('fuzzing every route', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let port: number;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let routes: ReadonlyArray<Route>;
  /** Ids of real resources, by path parameter name: the fuzz reaches past the 404s with them. */
  const realIds: Record<string, string[]> = {};

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    // Over a real socket: Fastify's inject cannot load in Jest's ES module mode on Node 20.
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
    routes = t.app.get(RouteCatalog).all();
    const api = t.as(env.token);
    const population = await createPopulation(t, env, 'Fuzzed');
    const user = await createUser(t, env, { username: 'fuzzed@example.com', population: { id: population } });
    await api
      .put(`${usersPath(env)}/${user.id}/password`)
      .type(MediaTypes.PASSWORD_SET)
      .send('{"value":"Correct-Horse-9-Battery"}')
      .expect(200);
    const device = (
      await api
        .post(`${usersPath(env)}/${user.id}/devices`)
        .type(MediaTypes.JSON)
        .send('{"type":"TOTP"}')
        .expect(201)
    ).body;
    const assignment = (
      await api
        .post(`${usersPath(env)}/${user.id}/roleAssignments`)
        .type(MediaTypes.JSON)
        .send(JSON.stringify({ role: { id: roleByName('Identity Data Read Only')?.id }, scope: { type: 'POPULATION', id: population } }))
        .expect(201)
    ).body;
    // A second worker: the admin's own application and role assignments stay out of the fuzz, so
    // its token keeps working and the cases keep reaching the handlers.
    const worker = await createWorker(t, env, [{ role: 'Identity Data Read Only' }]);
    const policies = (await api.get(`/v1/environments/${env.environmentId}/passwordPolicies`).expect(200)).body._embedded.passwordPolicies;
    Object.assign(realIds, {
      envId: [env.environmentId],
      userId: [user.id],
      deviceId: [device.id],
      assignmentId: [assignment.id],
      populationId: [population],
      appId: [worker.clientId],
      policyId: [policies[0].id],
      roleId: [roleByName('Identity Data Read Only')?.id ?? randomUUID()],
    });
  }, 180_000); // several resources to create on a busy machine, and PGlite's start in the embedded run
  afterAll(async () => {
    agent.destroy();
    await t.close();
  });

  // ---- generators -------------------------------------------------------------------------------

  const printable = (maxLength: number) =>
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
  const hostileText = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '%',
      '_',
      '\\',
      '"',
      "'",
      '%_\\',
      '-'.repeat(36),
      '😀',
      '\uFFFF',
      '\uD800',
      'null',
      'true',
      '0',
    ),
    fc.integer({ min: 1_000, max: 80_000 }).map((n) => 'x'.repeat(n)),
  );
  const jsonish = fc.jsonValue({ maxDepth: 4 });

  const ATTRIBUTES = ['username', 'email', 'name.given', 'name.family', 'externalId', 'id', 'population.id', 'account.status', 'enabled'];
  const ACTIVITY_ATTRIBUTES = [
    'recordedAt',
    'createdAt',
    'action.type',
    'resources.id',
    'correlationId',
    'result.status',
    'actors.user.id',
  ];
  const filterValue = fc.oneof(
    fc.constantFrom('true', 'false', '"2026-12-01T00:00:00Z"', '"2026-13-45T99:99:99Z"', '"%"', '"_"', '"\\\\"', '"LOCKED"', '""'),
    hostileText.filter((s) => s.length < 200).map((s) => JSON.stringify(s)),
    fc.uuid().map((u) => `"${u}"`),
  );
  const comparison = fc
    .tuple(
      fc.constantFrom(...ATTRIBUTES, ...ACTIVITY_ATTRIBUTES, 'nothing'),
      fc.constantFrom('eq', 'sw', 'gt', 'ge', 'lt', 'le', 'co', 'pr'),
      filterValue,
    )
    .map(([a, o, v]) => `${a} ${o} ${v}`);
  const grammatical: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      comparison,
      fc.tuple(tie('expr'), fc.constantFrom('and', 'or', 'AND'), tie('expr')).map(([l, op, r]) => `${l} ${op} ${r}`),
      tie('expr').map((e) => `(${e})`),
    ),
  })).expr;
  const filter = fc.oneof(
    grammatical,
    fc.tuple(fc.integer({ min: 1, max: 160 }), comparison).map(([n, c]) => Array.from({ length: n }, () => c).join(' and ')),
    fc.integer({ min: 1, max: 200 }).map((d) => `${'('.repeat(d)}username eq "a"${')'.repeat(d)}`),
    hostileText,
  );
  const cursor = fc.oneof(
    hostileText,
    jsonish.map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
    fc.uuid().map((u) => Buffer.from(JSON.stringify({ after: u })).toString('base64url')),
  );
  const query = fc.oneof(
    fc.constant(''),
    fc
      .record(
        {
          filter,
          cursor,
          limit: fc.oneof(fc.integer({ min: -5, max: 5000 }).map(String), hostileText),
          junk: hostileText,
        },
        { requiredKeys: [] },
      )
      .map((q) => new URLSearchParams(q as Record<string, string>).toString()),
    printable(60).map((raw) => raw.replace(/[#\s]/g, '')),
    fc.constantFrom('filter=%zz', 'filter=%00', 'cursor=%E0%A4%A', 'limit=1&limit=2', 'filter'),
  );

  /** A segment as a client would send it; one with a lone surrogate, which no client can encode, its code units in hex. */
  const pathSegment = (s: string) => {
    try {
      return encodeURIComponent(s) || 'x';
    } catch {
      return Buffer.from(s, 'utf16le').toString('hex');
    }
  };
  const pathValue = (name: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...(realIds[name] ?? [randomUUID()])) },
      { weight: 2, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.constantFrom(...(realIds[name] ?? [randomUUID()])).map((id) => id.toUpperCase()) },
      { weight: 2, arbitrary: hostileText.filter((s) => s.length < 500).map((s) => pathSegment(s)) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('-'.repeat(36), '%', '%E0%A4%A', '..', '%00', '%2F', 'null', '00000000-0000-0000-0000-000000000000'),
      },
    );

  const KEYS = [
    'username',
    'email',
    'name',
    'population',
    'password',
    'enabled',
    'otp',
    'type',
    'value',
    'newPassword',
    'currentPassword',
    'role',
    'scope',
    'lockout',
    'history',
    'default',
    'unlockAt',
    'nickname',
    'externalId',
    'filter',
    'limit',
    'cursor',
    'url',
    'description',
    'grant_type',
    'client_id',
    'client_secret',
    'mfaEnabled',
    'id',
    'actionTypes',
    'format',
    'status',
    'account',
  ];
  const wrongTypes = fc.dictionary(
    fc.constantFrom(...KEYS),
    fc.oneof(jsonish, hostileText, fc.record({ id: fc.oneof(fc.uuid(), hostileText) })),
    {
      maxKeys: 6,
    },
  );
  const body = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: wrongTypes.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: jsonish.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.integer({ min: 20, max: 4000 }).map((d) => '['.repeat(d) + ']'.repeat(d)) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 20, max: 4000 }).map((d) => `{"username":"deep","name":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`),
    },
    { weight: 1, arbitrary: fc.record({ username: hostileText, nickname: fc.constant('nul\u0000') }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: hostileText },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '{"a":',
        '[1,]',
        'grant_type=client_credentials',
        '\u0000',
        '{"__proto__":{"x":1}}',
        '{"constructor":{"prototype":{}}}',
      ),
    },
  );

  const contentType = (route: Route) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(route.mediaType ?? MediaTypes.JSON) },
      { weight: 3, arbitrary: fc.constantFrom(...Object.values(MediaTypes)) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'application/vnd.pingidentity.unknown+json',
          'application/vnd.pingidentity.account.unlock+json; charset=utf-8',
          'APPLICATION/VND.PINGIDENTITY.PASSWORD.CHECK+JSON',
          'application/vnd.pingidentity.password.forceChange; x=y',
          'application/json; charset=latin1',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
          '*/*',
          ';',
          '',
        ),
      },
      { weight: 1, arbitrary: printable(60) },
    );

  const authorization = fc.oneof(
    { weight: 6, arbitrary: fc.constant('admin') },
    { weight: 2, arbitrary: fc.constant('none') },
    {
      weight: 2,
      arbitrary: fc.oneof(
        printable(80),
        fc.constantFrom('Bearer', 'Bearer ', 'Basic', 'Basic %%%', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Negotiate x'),
        printable(40).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
        printable(40).map((s) => `Bearer ${s}`),
      ),
    },
  );

  function requestFor(route: Route): fc.Arbitrary<FuzzRequest> {
    const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
    const params = fc.tuple(...names.map((name) => pathValue(name)));
    return fc
      .record({
        params: names.length > 0 ? params : fc.constant([] as string[]),
        query,
        body,
        contentType: fc.option(contentType(route), { nil: undefined, freq: 8 }),
        authorization,
        accept: fc.option(fc.constantFrom('application/json', 'text/html', 'application/hal+json', '*/*', 'x/y'), { nil: undefined }),
        tamper: fc.option(fc.constantFrom('x', 'A'), { nil: undefined }),
      })
      .map(({ params, query: q, body: payload, contentType: type, authorization: auth, accept, tamper }) => {
        let path = route.path;
        names.forEach((name, i) => (path = path.replace(`:${name}`, params[i])));
        const headers: Record<string, string> = {};
        if (type !== undefined) headers['content-type'] = type;
        if (accept !== undefined) headers.accept = accept;
        if (auth === 'admin') headers.authorization = `Bearer ${env.token}${tamper ?? ''}`;
        else if (auth !== 'none') headers.authorization = auth;
        return { method: route.method, url: q ? `${path}?${q}` : path, headers, ...(payload === undefined ? {} : { payload }) };
      });
  }

  // ---- the invariant ----------------------------------------------------------------------------

  /** One request; on a kept-alive socket the server has since closed (after a refusal of malformed HTTP), again on a new one. */
  async function exchange(request: FuzzRequest): Promise<{ statusCode: number; body: string }> {
    try {
      return await exchangeOn(request, agent);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
      return exchangeOn(request, false);
    }
  }

  function exchangeOn(request: FuzzRequest, via: Agent | false): Promise<{ statusCode: number; body: string }> {
    return new Promise((resolve, reject) => {
      const options = { host: '127.0.0.1', port, agent: via, method: request.method, path: request.url, headers: request.headers };
      const outgoing = httpRequest(options, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ statusCode: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        incoming.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(request.payload);
    });
  }

  async function send(request: FuzzRequest): Promise<void> {
    const response = await exchange(request);
    const summary = `${JSON.stringify({ ...request, payload: request.payload?.slice(0, 300) })} answered ${response.statusCode}: ${response.body.slice(0, 300)}`;
    if (response.statusCode >= 500) throw new Error(summary);
    if (response.statusCode < 400) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      throw new Error(`${summary} (not JSON)`);
    }
    const error = parsed as Record<string, unknown>;
    // The token endpoint answers OAuth's errors; what the global pipeline refuses first (415) is PingOne's there too.
    const oauth = /^\/[^/]+\/as\/token/.test(request.url) && typeof error.error === 'string' && typeof error.error_description === 'string';
    const pingOne = typeof error.id === 'string' && typeof error.code === 'string' && typeof error.message === 'string';
    if (!oauth && !pingOne) throw new Error(`${summary} (not PingOne's error shape)`);
  }

  it(
    `answers ${RUNS} fuzzed requests over every route without a 5xx, in PingOne's error shape (seed ${SEED})`,
    async () => {
      expect(routes.length).toBeGreaterThanOrEqual(40);
      const perRoute = Math.max(1, Math.ceil(RUNS / routes.length));
      for (const [index, route] of routes.entries()) {
        const seed = SEED + index;
        const label = `${route.method} ${route.path}${route.mediaType ? ` (${route.mediaType})` : ''}`;
        const outcome = await fc.check(fc.asyncProperty(requestFor(route), send), { numRuns: perRoute, seed });
        if (outcome.failed) {
          const reproduce = `FUZZ_SEED=${SEED} (route seed ${seed}, path ${outcome.counterexamplePath})`;
          throw new Error(
            `${label}: ${String((outcome.errorInstance as Error | undefined)?.message ?? outcome.errorInstance)}\nCounterexample: ${JSON.stringify(outcome.counterexample)?.slice(0, 2000)}\nReproduce with ${reproduce}`,
          );
        }
      }
      const ready = await exchange({ method: 'GET', url: '/health/ready', headers: {} });
      expect(ready.statusCode).toBe(200);
    },
    30 * 60_000,
  );
});
