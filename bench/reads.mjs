/* global fetch, performance, URLSearchParams */
/**
 * Reads benchmark: `GET /users/{id}` and `GET /users?filter=...&limit=100` of the service against a
 * raw `node:http` + `pg` baseline (bench/baseline-reads-server.mjs) that sends the same SQL and
 * answers the same JSON, with 100,000 users in the environment; then the EXPLAIN of each list
 * query, the service's memory (RSS at idle and after a minute of load) and its start time (process
 * start to the first served request). See docs/benchmarks-reads.md.
 *
 *   npm run bench:reads      (builds, then runs this file)
 *
 * Everything runs on 127.0.0.1: a dedicated database (dropped and recreated), the service and the
 * baseline as child processes, autocannon in this process. The environment comes from the service's
 * own `bootstrap` (environment, default population, worker application, role assignment), four more
 * populations from its API; the users are inserted by one `INSERT ... SELECT FROM generate_series`
 * with varied names, e-mail domains, populations, letter case, enabled and lock states (seeded, so
 * every run has the same users). Each case sends each request with the next value of a list drawn
 * from the seeded users, so requests do not repeat one row. Before measuring, every case is sent
 * once to each target and the two bodies must be identical. Rounds alternate between the targets
 * (ours, baseline, ours, ...), so noise on the machine hits both; CPU per request comes from /proc
 * as in bench/run.mjs.
 *
 * Settings (environment variables, defaults in brackets):
 *   BENCH_ADMIN_URL       database to run CREATE/DROP DATABASE from [postgresql://postgres@127.0.0.1:5432/postgres]
 *   BENCH_DB              bench database, dropped and recreated [identity_bench_reads]
 *   BENCH_USERS           users seeded [100000]
 *   BENCH_WARMUP          warm-up seconds per target and case [3]
 *   BENCH_DURATION        seconds per measured round [5]
 *   BENCH_CONNECTIONS     connections [16]
 *   BENCH_PAIRS           rounds per target and case [3]
 *   BENCH_CASES           comma-separated case names to run [all]
 *   BENCH_LOAD_S          seconds of load before the second RSS reading [60]
 *   BENCH_STARTS          service starts timed [3]
 *   BENCH_QUIET_MAX_S     seconds a round may wait for foreign CPU load to drop under 0.15 core [3]
 *   BENCH_EXPLAIN_ONLY=1  seed, print the EXPLAINs, stop (for index work)
 */
import { randomBytes } from 'node:crypto';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  checkDatabaseName,
  cpuDelta,
  cpuSnapshot,
  fetchToken,
  freePort,
  gitDescription,
  HOST,
  int,
  log,
  median,
  mulberry32,
  pad,
  recreateDatabase,
  ROOT,
  runToEnd,
  shuffle,
  sleep,
  startChild,
  stopAll,
  stopChild,
  waitForQuiet,
  waitUntilUp,
  withDatabase,
} from './lib.mjs';
import { nodeVersionOf } from './node-version.mjs';

const ENCRYPTION_KEYS = randomBytes(32).toString('base64url');

const env = process.env;
const ADMIN_URL = env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DB_NAME = env.BENCH_DB ?? 'identity_bench_reads';
const USERS = int(env.BENCH_USERS, 100_000);
const WARMUP_S = int(env.BENCH_WARMUP, 3);
const DURATION_S = int(env.BENCH_DURATION, 5);
const CONNECTIONS = int(env.BENCH_CONNECTIONS, 16);
const PAIRS = int(env.BENCH_PAIRS, 3);
const LOAD_S = int(env.BENCH_LOAD_S, 60);
const STARTS = int(env.BENCH_STARTS, 3);
const QUIET_MAX_S = int(env.BENCH_QUIET_MAX_S, 3);
const ONLY_CASES = env.BENCH_CASES ? env.BENCH_CASES.split(',').map((c) => c.trim()) : undefined;
const EXPLAIN_ONLY = env.BENCH_EXPLAIN_ONLY === '1';
const LIMIT = 100;

checkDatabaseName(DB_NAME, 'BENCH_DB');
const DB_URL = withDatabase(ADMIN_URL, DB_NAME);

const GIVEN = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Anna',
  'Lucas',
  'Sofia',
  'Mateo',
  'Emma',
  'Noah',
  'Olivia',
  'Liam',
  'Amelia',
  'Hugo',
  'Léa',
  'Chloé',
  'Jörg',
  'Søren',
  'Aiko',
  'Hiroshi',
  'Priya',
  'Arjun',
  'Fatima',
  'Omar',
  'Wei',
  'Mei',
  'Ngozi',
  'Kwame',
  'Ines',
  'Tomás',
  'Zoë',
  'Björn',
  'Ana',
  'Diego',
];
const FAMILY = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Dubois',
  'Durand',
  'Lefèvre',
  'Moreau',
  'Rossi',
  'Russo',
  'Ferrari',
  'Esposito',
  'Bianchi',
  'Kowalski',
  'Nowak',
  'Novák',
  'Horvat',
  'Jensen',
  'Nielsen',
  'Hansen',
  'Berg',
  'Lindqvist',
  'Virtanen',
  'Tanaka',
  'Suzuki',
  'Sato',
  'Takahashi',
  'Kim',
  'Park',
  'Choi',
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Chen',
  'Singh',
  'Kumar',
  'Patel',
  'Sharma',
  'Okafor',
  'Mensah',
  'Diallo',
  "O'Brien",
  'Murphy',
  'Kelly',
  'Silva',
  'Santos',
  'Oliveira',
  'Costa',
];
const DOMAINS = ['example.com', 'corp.example', 'mail.example.org', 'example.net', 'sub.example.co.uk'];

/**
 * 100,000 users in one statement. Family names are skewed (the first names of the list are more
 * common), usernames and e-mails are unique per user, a quarter of the usernames and a tenth of the
 * e-mails carry capitals, 2 % have no e-mail, 3 % are disabled, 2 % are locked (half by an admin,
 * half by a password lockout that ends in the future), populations hold 40/25/15/10/10 %.
 */
async function seedUsers(db, environmentId, populationIds, count) {
  await db.query('SELECT setseed(0.42)');
  await db.query(
    `INSERT INTO "User" (id, "environmentId", "populationId", username, "usernameLower", email, "emailVerified", enabled,
       "accountStatus", "lockReason", "lockedAt", "unlockAt", "passwordStatus", "nameGiven", "nameFamily", "nameFormatted",
       "externalId", locale, "mobilePhone", title, "createdAt", "updatedAt")
     SELECT gen_random_uuid(), $1,
       ($2::uuid[])[1 + (CASE WHEN p < 0.40 THEN 0 WHEN p < 0.65 THEN 1 WHEN p < 0.80 THEN 2 WHEN p < 0.90 THEN 3 ELSE 4 END)],
       uname, lower(uname),
       CASE WHEN r1 < 0.02 THEN NULL WHEN r1 < 0.12 THEN initcap(mailbox) || '@' || domain ELSE mailbox || '@' || domain END,
       r2 < 0.7, r3 >= 0.03,
       (CASE WHEN r4 < 0.02 THEN 'LOCKED' ELSE 'OK' END)::"AccountStatus",
       (CASE WHEN r4 < 0.01 THEN 'ADMIN' WHEN r4 < 0.02 THEN 'PASSWORD' END)::"LockReason",
       CASE WHEN r4 < 0.02 THEN created + interval '30 days' END,
       CASE WHEN r4 >= 0.01 AND r4 < 0.02 THEN now() + interval '1 day' END,
       (CASE WHEN r2 < 0.8 THEN 'OK' ELSE 'NO_PASSWORD' END)::"PasswordStatus",
       given, family, given || ' ' || family,
       CASE WHEN r5 < 0.3 THEN 'hr-' || lpad(g::text, 7, '0') END,
       (ARRAY['en-US', 'en-GB', 'fr-FR', 'de-DE', 'ja-JP'])[1 + (g % 5)],
       CASE WHEN r5 < 0.5 THEN '+1555' || lpad((g % 10000000)::text, 7, '0') END,
       CASE WHEN r5 < 0.1 THEN 'Engineer' END,
       created, created + interval '1 day' * floor(r3 * 300)
     FROM (
       SELECT g, p, r1, r2, r3, r4, r5, given, family, domain, created,
         CASE WHEN r2 < 0.25 THEN given || '.' || family || g ELSE lower(given || '.' || family) || g END AS uname,
         lower(translate(given || '.' || family, 'éèöøüáóëñ'' ', 'eeoouaoen')) || g AS mailbox
       FROM (
         SELECT g, random() AS p, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
           ($3::text[])[1 + (g * 7919) % cardinality($3::text[])] AS given,
           ($4::text[])[1 + floor(cardinality($4::text[]) * power(random(), 1.6))::int] AS family,
           ($5::text[])[1 + (g * 31) % cardinality($5::text[])] AS domain,
           now() - interval '1 second' * floor(random() * 3 * 365 * 86400) AS created
         FROM generate_series(1, $6) AS g
       ) AS draw
     ) AS users`,
    [environmentId, populationIds, GIVEN, FAMILY, DOMAINS, count],
  );
}

/** Values to cycle through for each case, drawn from the seeded users (seeded shuffle). */
async function valuesOf(db, environmentId, populationIds) {
  const random = mulberry32(7);
  const sample = async (sql, params = []) => {
    const { rows } = await db.query(sql, [environmentId, ...params]);
    const values = rows.map((r) => r.v);
    shuffle(values, random);
    return values;
  };
  const users = `FROM "User" WHERE "environmentId" = $1`;
  return {
    ids: await sample(`SELECT id AS v ${users} ORDER BY md5(id::text) LIMIT 5000`),
    // Some in another letter case than stored: the filters are case-insensitive.
    emails: (await sample(`SELECT email AS v ${users} AND email IS NOT NULL ORDER BY md5(id::text) LIMIT 5000`)).map((e, i) =>
      i % 3 === 0 ? e.toUpperCase() : e,
    ),
    usernames: (await sample(`SELECT username AS v ${users} ORDER BY md5(id::text) LIMIT 5000`)).map((u, i) =>
      i % 3 === 0 ? u.toLowerCase() : u,
    ),
    // A given name, a dot and the first two letters of a family name: about 10 to 300 matches each.
    prefixes: await sample(`SELECT DISTINCT left("usernameLower", strpos("usernameLower", '.') + 2) AS v ${users}`),
    families: await sample(`SELECT DISTINCT "nameFamily" AS v ${users}`),
    populations: [...populationIds],
  };
}

/** The cases measured: a name, and the path of the i-th request. */
function casesOf(environmentId, values) {
  const users = `/v1/environments/${environmentId}/users`;
  const list = (filter) => `${users}?${new URLSearchParams({ filter, limit: String(LIMIT) })}`;
  const at = (array, i) => array[i % array.length];
  const all = [
    { name: 'get by id', path: (i) => `${users}/${at(values.ids, i)}` },
    { name: 'email eq', path: (i) => list(`email eq "${at(values.emails, i)}"`) },
    { name: 'username eq', path: (i) => list(`username eq "${at(values.usernames, i)}"`) },
    { name: 'username sw', path: (i) => list(`username sw "${at(values.prefixes, i)}"`) },
    { name: 'name.family eq', path: (i) => list(`name.family eq "${at(values.families, i).replace(/["\\]/g, '\\$&')}"`) },
    { name: 'population.id eq', path: (i) => list(`population.id eq "${at(values.populations, i)}"`) },
    { name: 'enabled eq false', path: () => list('enabled eq false') },
    { name: 'account.status eq LOCKED', path: () => list('account.status eq "LOCKED"') },
    {
      name: 'name.family eq and enabled eq true',
      path: (i) => list(`name.family eq "${at(values.families, i).replace(/["\\]/g, '\\$&')}" and enabled eq true`),
    },
  ];
  return ONLY_CASES ? all.filter((c) => ONLY_CASES.includes(c.name)) : all;
}

function load({ port, token, connections, duration, path: pathOf }) {
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://${HOST}:${port}`,
        connections,
        duration,
        pipelining: 1,
        timeout: 10,
        headers: { authorization: `Bearer ${token}` },
        requests: [
          {
            method: 'GET',
            setupRequest(request) {
              const p = pathOf(next);
              next += 1;
              return { ...request, method: 'GET', path: p };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('error', () => undefined);
  });
}

/** Resident and peak resident memory of a process, in MiB (/proc/<pid>/status). */
async function memoryOf(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

function serviceEnv(port, publicPort) {
  return {
    DATABASE_URL: DB_URL,
    ENCRYPTION_KEYS,
    PORT: String(port),
    HOST,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ON_EMPTY: 'false',
    PUBLIC_BASE_URL: `http://localhost:${publicPort}`,
    TOKEN_AUDIENCE: '',
  };
}

/** Spawns `node dist/main.js` on a migrated database and polls /health/live every 10 ms until 200. */
async function timeStart() {
  const port = await freePort();
  const started = performance.now();
  const record = startChild('start-timing', ['dist/main.js'], serviceEnv(port, port));
  try {
    for (;;) {
      if (record.child.exitCode !== null) throw new Error(`the service exited while starting:\n${record.stderr}${record.stdout}`);
      if (performance.now() - started > 60_000) throw new Error(`the service did not answer /health/live within 60 s:\n${record.stderr}`);
      try {
        const res = await fetch(`http://${HOST}:${port}/health/live`);
        await res.arrayBuffer();
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await sleep(10);
    }
    const ms = performance.now() - started;
    await sleep(2_000);
    return { ms, idle: await memoryOf(record.child.pid) };
  } finally {
    await stopChild(record);
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of the page and the count statement of one list request, as the service sends them. */
async function explainList(db, environmentId, filterSql, params) {
  const where = `"environmentId" = $1::uuid AND ${filterSql}`;
  const n = params.length + 1;
  const page = `SELECT * FROM "User" WHERE ${where} ORDER BY "id" LIMIT $${n + 1}`;
  const count = `SELECT count(*)::int AS "total" FROM "User" WHERE ${where}`;
  const run = async (sql, values) => {
    // Parameters bound as the service binds them (a custom plan, as Postgres makes for the first
    // executions of a prepared statement), then the generic plan Postgres may switch to after five.
    const bound = sql.replace(/\$(\d+)/g, (_, i) => literal(values[Number(i) - 1]));
    const custom = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${bound}`)).rows.map((r) => r['QUERY PLAN']);
    await db.query('BEGIN');
    try {
      await db.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      await db.query(`PREPARE bench_explain AS ${sql}`);
      const generic = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_explain(${values.map(literal).join(', ')})`)).rows.map(
        (r) => r['QUERY PLAN'],
      );
      return { custom, generic };
    } finally {
      await db.query('ROLLBACK');
      await db.query('DEALLOCATE ALL');
    }
  };
  return {
    page: await run(page, [environmentId, ...params, LIMIT + 1]),
    count: await run(count, [environmentId, ...params]),
  };
}

function literal(value) {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
  return `'${String(value).replace(/'/g, "''")}'`;
}

const likeLiteral = (value) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The list statements' conditions, exactly as `userFilterSql` writes them (docs/user-filters.md), with one sample value each. */
function explainCases(values) {
  return [
    { name: 'email eq', sql: `lower("email") = lower($2)`, params: [values.emails[1]] },
    { name: 'username eq', sql: `"usernameLower" = $2`, params: [values.usernames[1].toLowerCase()] },
    { name: 'username sw', sql: `lower("usernameLower") LIKE (lower($2) || '%')`, params: [likeLiteral(values.prefixes[0])] },
    { name: 'name.family eq', sql: `lower("nameFamily") = lower($2)`, params: [values.families[0]] },
    { name: 'population.id eq', sql: `"populationId" = $2::uuid`, params: [values.populations[1]] },
    { name: 'enabled eq false', sql: `"enabled" = $2`, params: [false] },
    {
      name: 'account.status eq LOCKED',
      sql: `("accountStatus" = 'LOCKED' AND ("unlockAt" IS NULL OR "unlockAt" > $2::timestamptz))`,
      params: [new Date()],
    },
    {
      name: 'name.family eq and enabled eq true',
      sql: `(lower("nameFamily") = lower($2) AND "enabled" = $3)`,
      params: [values.families[0], true],
    },
  ];
}

/** The plan's first line, its index use and timing, in one line. */
function planSummary(lines) {
  const text = lines.join('\n');
  const scans = [...text.matchAll(/(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)?(?: using| on) (\S+)/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
  const execution = /Execution Time: ([\d.]+) ms/.exec(text)?.[1];
  const buffers = /Buffers: ([^\n]+)/.exec(text)?.[1];
  return `${[...new Set(scans)].join(' + ')}; ${execution} ms; buffers ${buffers}`;
}

function summarize(result) {
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    ok2xx: result['2xx'],
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  log(`node ${process.version}; recreating database ${DB_NAME}`);
  await recreateDatabase(ADMIN_URL, DB_NAME);

  const [servicePort, baselinePort] = [await freePort(), await freePort()];
  const serviceUrl = `http://${HOST}:${servicePort}`;
  const service = startChild('ours', ['dist/main.js'], serviceEnv(servicePort, servicePort));
  await waitUntilUp(service, `${serviceUrl}/health`, 60_000);
  const boot = JSON.parse(
    await runToEnd(
      'bootstrap',
      ['dist/cli/main.js', 'bootstrap', '--json'],
      { DATABASE_URL: DB_URL, ENCRYPTION_KEYS, LOG_LEVEL: 'warn' },
      60_000,
    ),
  );
  const { environmentId } = boot;
  const token = await fetchToken(serviceUrl, boot);
  const populationIds = [boot.populationId];
  for (const name of ['Staff', 'Contractors', 'Partners', 'Customers EU']) {
    const res = await fetch(`${serviceUrl}/v1/environments/${environmentId}/populations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name }),
    });
    const body = await res.json();
    if (res.status !== 201) throw new Error(`creating population ${name}: ${res.status} ${JSON.stringify(body)}`);
    populationIds.push(body.id);
  }

  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  try {
    log(`seeding ${USERS} users`);
    let t0 = Date.now();
    await seedUsers(db, environmentId, populationIds, USERS);
    await db.query('VACUUM ANALYZE');
    log(`seeded and vacuumed in ${Date.now() - t0} ms`);
    const values = await valuesOf(db, environmentId, populationIds);
    const indexes = (await db.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'User' ORDER BY indexname`)).rows.map(
      (r) => r.indexdef,
    );

    log('EXPLAIN (ANALYZE, BUFFERS) of each list query');
    const explains = {};
    for (const c of explainCases(values)) {
      explains[c.name] = await explainList(db, environmentId, c.sql, c.params);
      for (const part of ['page', 'count']) {
        const { custom, generic } = explains[c.name][part];
        log(`  ${c.name} ${part}: custom plan ${planSummary(custom)} | generic plan ${planSummary(generic)}`);
      }
    }
    const resultsDir = path.join(ROOT, 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
    const explainFile = path.join(resultsDir, `reads-explain-${stamp}.txt`);
    await writeFile(
      explainFile,
      `${indexes.join('\n')}\n\n${Object.entries(explains)
        .map(([name, e]) =>
          ['page', 'count']
            .map(
              (part) =>
                `== ${name} (${part}), custom plan\n${e[part].custom.join('\n')}\n\n== ${name} (${part}), generic plan\n${e[part].generic.join('\n')}\n`,
            )
            .join('\n'),
        )
        .join('\n')}`,
    );
    log(`plans written to ${path.relative(ROOT, explainFile)}`);
    if (EXPLAIN_ONLY) return;

    const baseline = startChild('baseline', ['bench/baseline-reads-server.mjs'], {
      DATABASE_URL: DB_URL,
      PORT: String(baselinePort),
      HOST,
      POOL_SIZE: '10',
      BASE_URL: `http://localhost:${servicePort}`,
    });
    for (let i = 0; i < 150 && !baseline.stdout.includes('{"port"'); i++) await sleep(100);
    if (!baseline.stdout.includes('{"port"')) throw new Error(`the baseline did not start:\n${baseline.stderr}`);
    const targets = {
      ours: { port: servicePort, pid: service.child.pid, node: nodeVersionOf(service.child.pid) },
      baseline: { port: baselinePort, pid: baseline.child.pid, node: nodeVersionOf(baseline.child.pid) },
    };
    const idle = await memoryOf(service.child.pid);
    log(`ours idle (seeded, before load): RSS ${idle.rssMiB.toFixed(0)} MiB`);

    // Both targets must answer every case with the same body before anything is measured.
    const cases = casesOf(environmentId, values);
    const probes = {};
    for (const c of cases) {
      const bodies = {};
      for (const [name, { port }] of Object.entries(targets)) {
        const res = await fetch(`http://${HOST}:${port}${c.path(1)}`, { headers: { authorization: `Bearer ${token}` } });
        bodies[name] = { status: res.status, text: await res.text() };
      }
      // secondsUntilUnlock counts down with the clock: the two requests may straddle a second.
      const comparable = (text) => text.replace(/"secondsUntilUnlock":\d+/g, '"secondsUntilUnlock":0');
      if (bodies.ours.status !== 200 || comparable(bodies.ours.text) !== comparable(bodies.baseline.text))
        throw new Error(
          `${c.name}: the bodies differ (ours ${bodies.ours.status}, baseline ${bodies.baseline.status}):\n${bodies.ours.text.slice(0, 800)}\n---\n${bodies.baseline.text.slice(0, 800)}`,
        );
      const parsed = JSON.parse(bodies.ours.text);
      probes[c.name] = { bytes: Buffer.byteLength(bodies.ours.text), count: parsed.count, size: parsed.size };
      log(
        `${c.name}: identical ${probes[c.name].bytes} byte bodies${parsed.count === undefined ? '' : `, count ${parsed.count}, size ${parsed.size}`}`,
      );
    }

    const rolePids = { ours: targets.ours.pid, baseline: targets.baseline.pid, bench: process.pid };
    const rounds = [];
    const round = async (c, name, duration, label) => {
      const waited = await waitForQuiet(rolePids, DB_NAME, QUIET_MAX_S);
      const before = await cpuSnapshot(rolePids, DB_NAME);
      const result = await load({ port: targets[name].port, token, connections: CONNECTIONS, duration, path: c.path });
      const cpu = cpuDelta(before, await cpuSnapshot(rolePids, DB_NAME));
      const total = Math.max(1, result.requests.total);
      const r = {
        case: c.name,
        target: name,
        label,
        ...summarize(result),
        cpuMsPerRequest: { target: (cpu[name] * 1000) / total, postgres: (cpu.postgres * 1000) / total },
        otherCores: cpu.other / cpu.wallS,
        waitedForQuietS: waited,
      };
      log(
        `${label} ${c.name} ${name}: ${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx/errors ${r.bad}; ` +
          `CPU ms/req ${name} ${r.cpuMsPerRequest.target.toFixed(2)}, postgres ${r.cpuMsPerRequest.postgres.toFixed(2)}; other ${r.otherCores.toFixed(2)} cores`,
      );
      return r;
    };
    t0 = Date.now();
    for (const c of cases) {
      for (const name of Object.keys(targets)) await round(c, name, WARMUP_S, 'warmup');
      for (let pair = 1; pair <= PAIRS; pair++) {
        for (const name of Object.keys(targets)) rounds.push(await round(c, name, DURATION_S, `round ${pair}/${PAIRS}`));
      }
    }
    log(`load phase took ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    const table = [];
    for (const c of cases) {
      const row = { case: c.name };
      for (const name of Object.keys(targets)) {
        const mine = rounds.filter((r) => r.case === c.name && r.target === name);
        row[name] = {
          reqPerSec: median(mine.map((r) => r.reqPerSec)),
          p50: median(mine.map((r) => r.p50)),
          p99: median(mine.map((r) => r.p99)),
          bad: mine.reduce((s, r) => s + r.bad, 0),
          cpuMsPerRequest: median(mine.map((r) => r.cpuMsPerRequest.target)),
          postgresCpuMsPerRequest: median(mine.map((r) => r.cpuMsPerRequest.postgres)),
          otherCores: median(mine.map((r) => r.otherCores)),
        };
      }
      row.ratio = { reqPerSec: row.ours.reqPerSec / row.baseline.reqPerSec, p99: row.ours.p99 / row.baseline.p99 };
      table.push(row);
    }

    const lines = [''];
    lines.push(
      `Reads benchmark: ${USERS} users, limit=${LIMIT}, ${CONNECTIONS} connections, ${PAIRS} rounds of ${DURATION_S} s per target and case (medians), warm-up ${WARMUP_S} s`,
    );
    lines.push(`Node.js: bench ${process.version}, ours ${targets.ours.node}, baseline ${targets.baseline.node}`);
    lines.push(
      'case                                 count  ours req/s  p50  p99  CPU ms/req  pg ms/req | base req/s  p50  p99  CPU ms/req  pg ms/req | req/s ratio  p99 ratio  other cores',
    );
    for (const r of table) {
      const o = r.ours;
      const b = r.baseline;
      lines.push(
        `${r.case.padEnd(34)}${pad(probes[r.case].count ?? '-', 8)}${pad(o.reqPerSec.toFixed(0), 12)}${pad(o.p50, 5)}${pad(o.p99, 5)}${pad(o.cpuMsPerRequest.toFixed(2), 12)}${pad(o.postgresCpuMsPerRequest.toFixed(2), 11)} |` +
          `${pad(b.reqPerSec.toFixed(0), 11)}${pad(b.p50, 5)}${pad(b.p99, 5)}${pad(b.cpuMsPerRequest.toFixed(2), 12)}${pad(b.postgresCpuMsPerRequest.toFixed(2), 11)} |` +
          `${pad(`${(r.ratio.reqPerSec * 100).toFixed(1)} %`, 12)}${pad(`${r.ratio.p99.toFixed(2)}x`, 11)}${pad(Math.max(o.otherCores, b.otherCores).toFixed(2), 13)}` +
          (o.bad + b.bad ? `  (non-2xx/errors: ours ${o.bad}, baseline ${b.bad})` : ''),
      );
    }
    lines.push(
      '(medians over the rounds; count: the list\'s total for the probe request; "other cores": CPU of processes outside the bench)',
    );
    console.log(lines.join('\n'));

    // Memory after a minute of load: the list cases in turn, one per request, at the same connections.
    log(`${LOAD_S} s of load on ours (every case in turn) for the memory reading`);
    const mixed = { path: (i) => cases[i % cases.length].path(Math.floor(i / cases.length)) };
    const loaded = await load({ port: servicePort, token, connections: CONNECTIONS, duration: LOAD_S, path: mixed.path });
    const afterLoad = await memoryOf(service.child.pid);
    const baselineAfter = await memoryOf(baseline.child.pid);
    log(
      `after ${LOAD_S} s (${loaded.requests.total} requests): RSS ${afterLoad.rssMiB.toFixed(0)} MiB, peak ${afterLoad.peakRssMiB.toFixed(0)} MiB`,
    );

    log(`timing ${STARTS} starts of the service (spawn to the first 200 from /health/live)`);
    const starts = [];
    for (let i = 0; i < STARTS; i++) {
      starts.push(await timeStart());
      log(`  start ${i + 1}: ${starts[i].ms.toFixed(0)} ms, RSS 2 s later ${starts[i].idle.rssMiB.toFixed(0)} MiB`);
    }

    const memoryLines = [''];
    memoryLines.push(
      `Memory of the service (RSS): idle after start ${median(starts.map((s) => s.idle.rssMiB)).toFixed(0)} MiB (median of ${STARTS} starts, 2 s after the first answer);`,
    );
    memoryLines.push(
      `  seeded, before load ${idle.rssMiB.toFixed(0)} MiB; after ${LOAD_S} s of reads load ${afterLoad.rssMiB.toFixed(0)} MiB (peak ${afterLoad.peakRssMiB.toFixed(0)} MiB); baseline after the run ${baselineAfter.rssMiB.toFixed(0)} MiB`,
    );
    memoryLines.push(
      `Start to first served request (spawn of node dist/main.js to the first 200 from /health/live, Postgres): median ${median(starts.map((s) => s.ms)).toFixed(0)} ms of ${starts
        .map((s) => s.ms.toFixed(0))
        .join(', ')}`,
    );
    console.log(memoryLines.join('\n'));

    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      source: gitDescription(ROOT),
      settings: {
        users: USERS,
        limit: LIMIT,
        warmupS: WARMUP_S,
        durationS: DURATION_S,
        connections: CONNECTIONS,
        pairs: PAIRS,
        loadS: LOAD_S,
      },
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryBytes: os.totalmem(),
        node: process.version,
        postgres: (await db.query('SHOW server_version')).rows[0].server_version,
      },
      indexes,
      probes,
      table,
      rounds,
      memory: {
        idleAfterStart: starts.map((s) => s.idle),
        seededBeforeLoad: idle,
        afterLoad,
        baselineAfterLoad: baselineAfter,
        loadRequests: loaded.requests.total,
      },
      startMs: starts.map((s) => s.ms),
      explains,
    };
    const file = path.join(resultsDir, `reads-${stamp}.json`);
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`raw numbers written to ${path.relative(ROOT, file)}`);
  } finally {
    await db.end().catch(() => undefined);
  }
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  exitCode = 1;
  console.error(error);
} finally {
  await stopAll();
}
process.exit(exitCode);
