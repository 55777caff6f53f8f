/* global fetch */
/**
 * Password check benchmark: checks per second through the service (right and wrong passwords)
 * against the ceiling, the raw cost of argon2id verification with the service's parameters,
 * measured in the same run and the same process layout.
 *
 *   npm run bench   (runs bench/run.mjs, then this file; see docs/benchmarks.md)
 *
 * Users are imported with one precomputed argon2id hash (so seeding hashes nothing), under a policy
 * whose lockout limit is the largest allowed (100): each request goes to the next of many users,
 * so no user reaches the limit and every wrong check is a counted failure with its event.
 *
 * Settings (environment variables, defaults in brackets):
 *   BENCH_ADMIN_URL    [postgresql://postgres@127.0.0.1:5432/postgres]
 *   BENCH_PW_DB        bench database, dropped and recreated [identity_bench_password]
 *   BENCH_PW_USERS     users [2000]
 *   BENCH_DURATION     seconds per measured round [10]
 *   BENCH_PW_CONNECTIONS connections [16]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import argon2 from 'argon2';
import autocannon from 'autocannon';
import pg from 'pg';
import { nodeVersionOf } from './node-version.mjs';

// The service and the bootstrap CLI share the key that encrypts secrets at rest.
const ENCRYPTION_KEYS = randomBytes(32).toString('base64url');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const env = process.env;
const ADMIN_URL = env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DB_NAME = env.BENCH_PW_DB ?? 'identity_bench_password';
const USERS = Number(env.BENCH_PW_USERS ?? 2000);
const DURATION_S = Number(env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(env.BENCH_PW_CONNECTIONS ?? 16);
const PASSWORD = 'Correct-Horse-9-Battery';
const CHECK_TYPE = 'application/vnd.pingidentity.password.check+json';

/** The service's parameters (src/passwords/password-hasher.ts): OWASP's argon2id baseline. */
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

async function main() {
  const url = await recreateDatabase();
  const port = await freePort();
  const service = startService(url, port);
  const base = `http://${HOST}:${port}`;
  await waitFor(`${base}/health`);
  const serviceNode = nodeVersionOf(service.pid);
  console.log(`node ${process.version} (${process.execPath}); the service: node ${serviceNode}`);
  const creds = JSON.parse(
    await run(process.execPath, ['dist/cli/main.js', 'bootstrap', '--json'], { DATABASE_URL: url, ENCRYPTION_KEYS, LOG_LEVEL: 'error' }),
  );
  const token = await tokenFor(base, creds);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const policy = await post(`${base}/v1/environments/${creds.environmentId}/passwordPolicies`, auth, {
    name: 'Bench',
    default: true,
    lockout: { failureCount: 100, durationSeconds: 60 },
  });
  if (!policy.id) throw new Error(`policy: ${JSON.stringify(policy)}`);

  const hash = await argon2.hash(PASSWORD, ARGON2);
  const ids = await seed(base, creds.environmentId, token, hash);
  console.log(`seeded ${ids.length} users; measuring ${DURATION_S} s rounds at ${CONNECTIONS} connections`);

  const results = {};
  results.rawVerify = await rawVerify(hash, DURATION_S);
  results.right = await checks(base, creds.environmentId, token, ids, PASSWORD, 200);
  results.wrong = await checks(base, creds.environmentId, token, ids, 'Wrong-Password-0', 400);
  results.rawVerifyAgain = await rawVerify(hash, DURATION_S);

  const ceiling = (results.rawVerify.perSecond + results.rawVerifyAgain.perSecond) / 2;
  const row = (name, r) =>
    `${name.padEnd(28)} ${String(r.perSecond.toFixed(1)).padStart(8)}/s  p50 ${String(r.p50 ?? '-').padStart(5)} ms  p99 ${String(r.p99 ?? '-').padStart(5)} ms  ${r.ratio ?? ''}`;
  results.right.ratio = `${((results.right.perSecond / ceiling) * 100).toFixed(0)} % of raw verify`;
  results.wrong.ratio = `${((results.wrong.perSecond / ceiling) * 100).toFixed(0)} % of raw verify`;
  console.log(`\nNode.js: bench ${process.version}, service ${serviceNode}`);
  console.log('argon2id m=19456 KiB, t=2, p=1; libuv threadpool', process.env.UV_THREADPOOL_SIZE ?? 4);
  console.log(row('raw argon2.verify (before)', results.rawVerify));
  console.log(row('check, right password', results.right));
  console.log(row('check, wrong password', results.wrong));
  console.log(row('raw argon2.verify (after)', results.rawVerifyAgain));

  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const { rows } = await pool.query(
    `SELECT type, count(*)::int AS n FROM "OutboxEvent" WHERE type LIKE 'PASSWORD.CHECK%' GROUP BY type ORDER BY type`,
  );
  await pool.end();
  console.log('outbox:', rows.map((r) => `${r.type}=${r.n}`).join(' '), `(2xx right: ${results.right.ok}, 400 wrong: ${results.wrong.ok})`);

  await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
  const file = path.join(ROOT, 'bench/results', `password-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(
    file,
    JSON.stringify(
      { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, serviceNode }, results, outbox: rows },
      null,
      2,
    ),
  );
  console.log(`raw results: ${path.relative(ROOT, file)}`);
  service.kill('SIGTERM');
}

/** Verifies as fast as the libuv threadpool allows, with as many in flight as the HTTP run has. */
async function rawVerify(hash, seconds) {
  const until = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        await argon2.verify(hash, PASSWORD);
        done++;
      }
    }),
  );
  return { perSecond: done / seconds };
}

async function checks(base, environmentId, token, ids, password, expected) {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: `/v1/environments/${environmentId}/users/${ids[next++ % ids.length]}/password`,
          headers: { authorization: `Bearer ${token}`, 'content-type': CHECK_TYPE },
          body: JSON.stringify({ password }),
        }),
      },
    ],
  });
  const ok = expected === 200 ? result['2xx'] : result['4xx'];
  return {
    perSecond: ok / DURATION_S,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    other: result.non2xx - (expected === 200 ? 0 : result['4xx']),
    errors: result.errors,
  };
}

async function seed(base, environmentId, token, hash) {
  const ids = [];
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.pingidentity.user.import+json' };
  for (let start = 0; start < USERS; start += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, USERS - start) }, (_, i) =>
        post(`${base}/v1/environments/${environmentId}/users`, headers, {
          username: `bench-${start + i}@example.com`,
          password: { value: hash },
        }),
      ),
    );
    for (const user of batch) {
      if (!user.id) throw new Error(`import: ${JSON.stringify(user)}`);
      ids.push(user.id);
    }
  }
  return ids;
}

async function post(url, headers, body) {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return response.json();
}

async function tokenFor(base, { environmentId, clientId, clientSecret }) {
  const response = await fetch(`${base}/${environmentId}/as/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return (await response.json()).access_token;
}

async function recreateDatabase() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${DB_NAME}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
}

function startService(url, port) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      ENCRYPTION_KEYS,
      PORT: String(port),
      HOST,
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ON_EMPTY: 'false',
      LOCK_SWEEP_INTERVAL_MS: '0',
      // This measures checks per second from one address: the brute-force limits would answer 429
      // after their budget (bench/attack.mjs measures those).
      RATE_LIMITS: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

function run(command, args, extraEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

async function waitFor(url) {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
