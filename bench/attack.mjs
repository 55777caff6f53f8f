/* global fetch */
/**
 * The brute-force attack of issue 11, scripted: 10,000 wrong client secrets against one client and
 * 10,000 password guesses spread over many users, sent from one address to two instances of the
 * service on one PostgreSQL database, alternating between them. It counts, per attack, how many were
 * answered (401 / 400) before the rate limits' budget was spent and how many got 429, and checks
 * that the answered ones are exactly the configured budget (once per 60-second window the attack
 * lasted): the two instances share one budget.
 * Then the same secrets once more with the limits off, for the "before".
 *
 *   npm run bench:attack    (see docs/rate-limits.md for the figures)
 *
 * Settings (environment variables, defaults in brackets):
 *   BENCH_ADMIN_URL        [postgresql://postgres@127.0.0.1:5432/postgres]
 *   BENCH_ATTACK_DB        bench database, dropped and recreated [identity_bench_attack]
 *   BENCH_ATTACK_N         attempts per attack [10000]
 *   BENCH_ATTACK_USERS     users the guesses are spread over [200]
 *   BENCH_ATTACK_CONNECTIONS requests in flight [32]
 *   BENCH_ATTACK_BASELINE  also run the wrong secrets with RATE_LIMITS=false [1]
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import argon2 from 'argon2';
import {
  checkDatabaseName,
  freePort,
  HOST,
  int,
  log,
  recreateDatabase,
  runToEnd,
  startChild,
  stopAll,
  waitUntilUp,
  withDatabase,
  fetchToken,
} from './lib.mjs';

const env = process.env;
const ADMIN_URL = env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DB_NAME = checkDatabaseName(env.BENCH_ATTACK_DB ?? 'identity_bench_attack', 'BENCH_ATTACK_DB');
const N = int(env.BENCH_ATTACK_N, 10_000);
const USERS = int(env.BENCH_ATTACK_USERS, 200);
const CONNECTIONS = int(env.BENCH_ATTACK_CONNECTIONS, 32);
const BASELINE = (env.BENCH_ATTACK_BASELINE ?? '1') !== '0';
const ENCRYPTION_KEYS = randomBytes(32).toString('base64url');
const PASSWORD = 'Correct-Horse-9-Battery';

/** The service's defaults (src/config/app-config.ts): what an attack meets out of the box. */
const LIMITS = { tokenPerClient: 20, tokenPerAddress: 100, passwordPerUser: 10, passwordPerAddress: 600 };
const WINDOW_SECONDS = 60;

async function main() {
  await recreateDatabase(ADMIN_URL, DB_NAME);
  const url = withDatabase(ADMIN_URL, DB_NAME);
  // One PUBLIC_BASE_URL for both: it is the tokens' issuer, so a token of one instance is valid on the other.
  const serviceEnv = {
    DATABASE_URL: url,
    ENCRYPTION_KEYS,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ON_EMPTY: 'false',
    LOCK_SWEEP_INTERVAL_MS: '0',
  };
  const creds = JSON.parse(await runToEnd('bootstrap', ['dist/cli/main.js', 'bootstrap', '--json'], serviceEnv, 60_000));
  const bases = await startInstances(serviceEnv, {});
  const token = await fetchToken(bases[0], creds);
  const users = await seedUsers(bases[0], creds.environmentId, token);
  log(`two instances at ${bases.join(' and ')}; ${users.length} users; ${N} attempts per attack, ${CONNECTIONS} in flight`);

  const secrets = await attack(bases, (base, i) => tokenRequest(base, creds, `wrong-secret-${i}`));
  const guesses = await attack(bases, (base, i) =>
    post(base, `/v1/environments/${creds.environmentId}/users/${users[i % users.length]}/password`, token, {
      type: 'application/vnd.pingidentity.password.check+json',
      body: { password: `Wrong-Guess-${i}` },
    }),
  );
  await stopAll();

  const results = {
    node: process.version,
    limits: LIMITS,
    wrongSecrets: { ...secrets, budget: Math.min(LIMITS.tokenPerClient, LIMITS.tokenPerAddress) },
    passwordGuesses: { ...guesses, budget: LIMITS.passwordPerAddress },
  };
  if (BASELINE) {
    const off = await startInstances(serviceEnv, { RATE_LIMITS: 'false' });
    results.wrongSecretsWithoutLimits = await attack(off, (base, i) => tokenRequest(base, creds, `wrong-secret-${i}`));
    await stopAll();
  }
  console.log(JSON.stringify(results, null, 2));
  // Budgets are per fixed window of 60 s: an attack that lasts longer meets a new budget per window.
  const withinBudget = (r) => r.answered >= r.budget && r.answered <= r.budget * (Math.floor(r.seconds / WINDOW_SECONDS) + 1);
  if (!withinBudget(results.wrongSecrets) || !withinBudget(results.passwordGuesses)) {
    throw new Error('the attempts answered are not the configured budget (one per window the attack lasted)');
  }
}

async function startInstances(serviceEnv, extra) {
  const bases = [];
  for (const name of ['a', 'b']) {
    const port = await freePort();
    const child = startChild(`service ${name}`, ['dist/main.js'], { ...serviceEnv, ...extra, PORT: String(port), HOST });
    const base = `http://${HOST}:${port}`;
    await waitUntilUp(child, `${base}/health`, 30_000);
    bases.push(base);
  }
  return bases;
}

/** Users with a password (one precomputed argon2id hash, imported: seeding hashes nothing). */
async function seedUsers(base, environmentId, token) {
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  const ids = [];
  for (let i = 0; i < USERS; i++) {
    const res = await post(base, `/v1/environments/${environmentId}/users`, token, {
      type: 'application/vnd.pingidentity.user.import+json',
      body: { username: `attacked.${i}@example.com`, password: { value: hash } },
    });
    if (res.status !== 201) throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(res.body.id);
  }
  return ids;
}

/** N attempts, CONNECTIONS at a time, alternating instances; statuses counted per instance. */
async function attack(bases, send) {
  const statuses = {};
  const perInstance = bases.map(() => ({}));
  let next = 0;
  let firstLimited = null;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < N) {
        const i = next++;
        const res = await send(bases[i % bases.length], i);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        perInstance[i % bases.length][res.status] = (perInstance[i % bases.length][res.status] ?? 0) + 1;
        if (res.status === 429 && firstLimited === null) firstLimited = { attempt: i, retryAfter: res.retryAfter };
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    statuses,
    perInstance,
    answered: N - (statuses[429] ?? 0),
    limited: statuses[429] ?? 0,
    firstLimited,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(N / seconds),
  };
}

async function tokenRequest(base, creds, secret) {
  const res = await fetch(`${base}/${creds.environmentId}/as/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${creds.clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

async function post(base, path, token, { type, body }) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error);
    await stopAll();
    process.exit(1);
  },
);
