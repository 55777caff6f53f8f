/* global fetch */
/**
 * Unlock benchmark: the service (NestJS + Fastify + Prisma) against a raw `node:http` + `pg`
 * baseline (bench/baseline-server.mjs) that runs the same SQL but verifies no token.
 *
 *   npm run bench            (builds, then runs this file; see docs/benchmarks.md)
 *   .ci/with-node24 npm run bench   the same on Node.js 24 (the service and the baseline run on the
 *                                   bench's own node, process.execPath; each one's version is printed)
 *
 * Everything runs on 127.0.0.1: a dedicated database (dropped and recreated), the service and the
 * baseline as child processes on free ports, and autocannon in this process. Each round starts
 * with every seeded user locked (one UPDATE, then VACUUM) and sends each request to the next user
 * of one fixed, shuffled order, so while a round stays under BENCH_USERS requests every request
 * is a real LOCKED -> OK transition that writes one outbox row. Rounds alternate between the
 * targets (ours, baseline, ours, baseline, ...), so noise on the machine hits both.
 *
 * The machine may be shared, so each round also records where the CPU went (from /proc): the
 * target process, Postgres (the bench database's backends; the server's own processes apart),
 * this process (autocannon) and everything else ("other"), so a disturbed round is visible.
 *
 * Settings (environment variables, defaults in brackets):
 *   BENCH_ADMIN_URL       database to run CREATE/DROP DATABASE from [postgresql://postgres@127.0.0.1:5432/postgres]
 *   BENCH_DB              bench database, dropped and recreated [identity_bench]
 *   BENCH_USERS           locked users seeded [60000]
 *   BENCH_WARMUP          warm-up seconds per target, at the highest connection count [20]
 *   BENCH_DURATION        seconds per measured round [10]
 *   BENCH_CONNECTIONS     connection counts [16,64]
 *   BENCH_PAIRS           rounds per target and connection count [3]
 *   BENCH_SEED            seed of the user order [1]
 *   BENCH_QUIET_MAX_S     seconds a round may wait for foreign CPU load to drop under 0.15 core [5]
 *   BENCH_TARGETS         targets and their order [ours,baseline]
 * Experiments:
 *   BENCH_SERVICE_DIR     a built copy of the service to run as "ours" instead of this checkout
 *   BENCH_CANDIDATE_DIR   a second built copy (e.g. with a patch), measured as "candidate" in the same rounds
 *   BENCH_CANDIDATE_ARGS  node flags of the candidate instead of BENCH_SERVICE_ARGS (a flag compared on one build:
 *                         BENCH_CANDIDATE_DIR=. BENCH_CANDIDATE_ARGS="--max-semi-space-size=32")
 *   BENCH_SERVICE_ARGS, BENCH_BASELINE_ARGS   extra node flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   BENCH_BASELINE_VERIFY_JWT=1   the baseline also verifies the token (jose, ES256), as the service does
 *   BENCH_LOG_STATEMENTS=1        log_statement = all on the bench database (see the server log; slows both)
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
  outboxMark,
  pad,
  recreateDatabase,
  relockAll,
  ROOT,
  runToEnd,
  seedUsers,
  sleep,
  startChild,
  stopAll,
  UNLOCK_TYPE,
  unlockedSince,
  unlockLoad,
  waitForQuiet,
  waitUntilUp,
  withDatabase,
} from './lib.mjs';
import { nodeVersionOf } from './node-version.mjs';

// Every process of one run shares the key that encrypts secrets at rest in the bench database.
const ENCRYPTION_KEYS = randomBytes(32).toString('base64url');

const env = process.env;
const ADMIN_URL = env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DB_NAME = env.BENCH_DB ?? 'identity_bench';
const USERS = int(env.BENCH_USERS, 60_000);
const WARMUP_S = int(env.BENCH_WARMUP, 20);
const DURATION_S = int(env.BENCH_DURATION, 10);
const CONNECTIONS = (env.BENCH_CONNECTIONS ?? '16,64')
  .split(',')
  .map((c) => int(c, 0))
  .filter((c) => c > 0);
const PAIRS = int(env.BENCH_PAIRS, 3);
const SEED = int(env.BENCH_SEED, 1);
const SERVICE_NODE_ARGS = (env.BENCH_SERVICE_ARGS ?? '').split(' ').filter(Boolean);
const CANDIDATE_NODE_ARGS = (env.BENCH_CANDIDATE_ARGS ?? env.BENCH_SERVICE_ARGS ?? '').split(' ').filter(Boolean);
const BASELINE_NODE_ARGS = (env.BENCH_BASELINE_ARGS ?? '').split(' ').filter(Boolean);
/** A built copy of the service to measure instead of this checkout (to try a patch); its dist/ is used. */
const SERVICE_DIR = path.resolve(env.BENCH_SERVICE_DIR ?? ROOT);
/** Optional: a second built copy (e.g. with a patch), measured as target "candidate" in the same rounds. */
const CANDIDATE_DIR = env.BENCH_CANDIDATE_DIR ? path.resolve(env.BENCH_CANDIDATE_DIR) : undefined;
const TARGETS = (env.BENCH_TARGETS ?? (CANDIDATE_DIR ? 'ours,candidate,baseline' : 'ours,baseline'))
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);
const BASELINE_VERIFY_JWT = env.BENCH_BASELINE_VERIFY_JWT === '1';
const QUIET_MAX_S = int(env.BENCH_QUIET_MAX_S, 5);
const LOG_STATEMENTS = env.BENCH_LOG_STATEMENTS === '1';

checkDatabaseName(DB_NAME, 'BENCH_DB');
const DB_URL = withDatabase(ADMIN_URL, DB_NAME);

/** The baseline prints `{"port": n}` once it listens. */
async function waitForPortLine(record, timeoutMs) {
  const attempts = Math.ceil(timeoutMs / 100);
  for (let i = 0; i < attempts; i++) {
    const line = record.stdout.split('\n').find((l) => l.startsWith('{"port"'));
    if (line) return JSON.parse(line).port;
    if (record.child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`${record.name} did not start:\n${record.stderr}${record.stdout}`);
}

function summarize(target, connections, round, result, transitions) {
  return {
    target,
    connections,
    round,
    durationS: result.duration,
    reqPerSec: result.requests.average,
    reqPerSecStddev: result.requests.stddev,
    latencyMs: {
      mean: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    total: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
    idsIssued: result.idsIssued,
    unlockedEvents: transitions,
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  log(`node ${process.version} (${process.execPath}); the service and the baseline are started with it`);
  log(`recreating database ${DB_NAME}`);
  await recreateDatabase(ADMIN_URL, DB_NAME, { logStatements: LOG_STATEMENTS });

  const [servicePort, baselinePort] = [await freePort(), await freePort()];
  const targets = {};

  const startService = async (name, dir) => {
    const port = name === 'ours' ? servicePort : await freePort();
    log(`starting the service (${name}, ${path.relative(ROOT, dir) || '.'}) on ${HOST}:${port}`);
    const record = startChild(
      name,
      [...(name === 'candidate' ? CANDIDATE_NODE_ARGS : SERVICE_NODE_ARGS), 'dist/main.js'],
      // One public base URL for every service copy, so one token (issuer and audience) fits all.
      {
        DATABASE_URL: DB_URL,
        ENCRYPTION_KEYS,
        PORT: String(port),
        HOST,
        LOG_LEVEL: 'warn',
        BOOTSTRAP_ON_EMPTY: 'false',
        PUBLIC_BASE_URL: `http://localhost:${servicePort}`,
        TOKEN_AUDIENCE: '',
      },
      dir,
    );
    await waitUntilUp(record, `http://${HOST}:${port}/health`, 30_000);
    targets[name] = { port, record, node: nodeVersionOf(record.child.pid) };
    log(`${name}: up, node ${targets[name].node}`);
  };
  if (TARGETS.includes('ours')) {
    await startService('ours', SERVICE_DIR);
  } else {
    // The schema still comes from the service's migrations.
    await runToEnd('migrate', ['dist/cli/main.js', 'migrate'], { DATABASE_URL: DB_URL }, 60_000, SERVICE_DIR);
  }
  // Started after `ours` has migrated the database, so it finds the schema in place.
  if (TARGETS.includes('candidate')) await startService('candidate', CANDIDATE_DIR);

  const boot = JSON.parse(
    await runToEnd(
      'bootstrap',
      ['dist/cli/main.js', 'bootstrap', '--json'],
      { DATABASE_URL: DB_URL, ENCRYPTION_KEYS, LOG_LEVEL: 'warn' },
      60_000,
      SERVICE_DIR,
    ),
  );
  const { environmentId, populationId } = boot;

  if (TARGETS.includes('baseline')) {
    const baseline = startChild('baseline', [...BASELINE_NODE_ARGS, 'bench/baseline-server.mjs'], {
      DATABASE_URL: DB_URL,
      PORT: String(baselinePort),
      HOST,
      POOL_SIZE: '10',
      VERIFY_JWT: BASELINE_VERIFY_JWT ? '1' : '',
      JWKS_URL: BASELINE_VERIFY_JWT ? `http://${HOST}:${servicePort}/${environmentId}/as/jwks` : '',
      // The service's issuer base: PUBLIC_BASE_URL defaults to http://localhost:<PORT>.
      ISSUER_BASE: `http://localhost:${servicePort}`,
    });
    targets.baseline = { port: await waitForPortLine(baseline, 15_000), record: baseline, node: nodeVersionOf(baseline.child.pid) };
    log(`baseline on ${HOST}:${targets.baseline.port}${BASELINE_VERIFY_JWT ? ' (verifying the JWT)' : ''}, node ${targets.baseline.node}`);
  }

  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  try {
    log(`seeding ${USERS} locked users`);
    let t0 = Date.now();
    const { ids, probe } = await seedUsers(db, environmentId, populationId, USERS, SEED);
    await db.query('VACUUM ANALYZE');
    log(`seeded and vacuumed in ${Date.now() - t0} ms`);

    // The token comes from the service (the baseline ignores it, but receives the same bytes).
    let token = 'none';
    if (targets.ours) token = await fetchToken(`http://${HOST}:${servicePort}`, boot);

    // One real unlock on each target: status, body size, and that it really unlocked.
    const probes = {};
    for (const [name, { port }] of Object.entries(targets)) {
      await relockAll(db, environmentId);
      const res = await fetch(`http://${HOST}:${port}/v1/environments/${environmentId}/users/${probe}`, {
        method: 'POST',
        headers: { 'content-type': UNLOCK_TYPE, authorization: `Bearer ${token}` },
      });
      const text = await res.text();
      const status = JSON.parse(text).account?.status;
      if (res.status !== 200 || status !== 'OK') throw new Error(`${name} probe unlock answered ${res.status}: ${text.slice(0, 500)}`);
      probes[name] = { status: res.status, bodyBytes: Buffer.byteLength(text), headerCount: [...res.headers.keys()].length };
      log(`${name}: probe unlock 200, ${probes[name].bodyBytes} byte body`);
    }

    const order = TARGETS.filter((t) => targets[t]);
    const rolePids = Object.fromEntries([...Object.entries(targets).map(([n, t]) => [n, t.record.child.pid]), ['bench', process.pid]]);
    const round = async (name, connections, duration, label) => {
      const relocked = await relockAll(db, environmentId);
      const waitedForQuietS = await waitForQuiet(rolePids, DB_NAME, QUIET_MAX_S);
      const mark = await outboxMark(db);
      const before = await cpuSnapshot(rolePids, DB_NAME);
      const result = await unlockLoad({ port: targets[name].port, environmentId, ids, token, connections, duration });
      const cpu = cpuDelta(before, await cpuSnapshot(rolePids, DB_NAME));
      // Requests still in flight when autocannon stops may commit just after; let them land.
      await sleep(300);
      const transitions = await unlockedSince(db, mark);
      const total = Math.max(1, result.requests.total);
      const summary = {
        ...summarize(name, connections, label, result, transitions),
        relockedBefore: relocked,
        waitedForQuietS,
        cpuSeconds: cpu,
        cpuMsPerRequest: {
          target: (cpu[name] * 1000) / total,
          postgres: (cpu.postgres * 1000) / total,
          loadGenerator: (cpu.bench * 1000) / total,
        },
      };
      log(
        `${label} ${name} c=${connections}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
          `2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors}, USER.UNLOCKED rows ${transitions}; ` +
          `CPU s: ${name} ${cpu[name].toFixed(1)}, postgres ${cpu.postgres.toFixed(1)}+${cpu.postgresServer.toFixed(1)}, autocannon ${cpu.bench.toFixed(1)}, other ${cpu.other.toFixed(1)}` +
          (waitedForQuietS > 1.5 ? ` (waited ${waitedForQuietS.toFixed(0)} s for quiet)` : ''),
      );
      if (result.requests.total > ids.length)
        log(
          `  note: ${result.requests.total} requests > ${ids.length} users: the list wrapped, later requests found users already unlocked`,
        );
      return summary;
    };

    log(`warm-up: ${WARMUP_S} s per target at ${Math.max(...CONNECTIONS)} connections`);
    t0 = Date.now();
    const warmups = [];
    for (const name of order) warmups.push(await round(name, Math.max(...CONNECTIONS), WARMUP_S, 'warmup'));

    const rounds = [];
    for (const connections of CONNECTIONS) {
      for (let pair = 1; pair <= PAIRS; pair++) {
        for (const name of order) rounds.push(await round(name, connections, DURATION_S, `round ${pair}/${PAIRS}`));
      }
    }
    log(`load phase took ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    // Medians across the rounds of each (target, connections).
    const table = [];
    for (const connections of CONNECTIONS) {
      for (const name of order) {
        const mine = rounds.filter((r) => r.target === name && r.connections === connections);
        table.push({
          target: name,
          connections,
          rounds: mine.length,
          reqPerSec: median(mine.map((r) => r.reqPerSec)),
          p50: median(mine.map((r) => r.latencyMs.p50)),
          p99: median(mine.map((r) => r.latencyMs.p99)),
          non2xx: mine.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
          ok2xx: mine.reduce((s, r) => s + r.ok2xx, 0),
          unlockedEvents: mine.reduce((s, r) => s + r.unlockedEvents, 0),
          cpuMsPerRequest: median(mine.map((r) => r.cpuMsPerRequest.target)),
          postgresCpuMsPerRequest: median(mine.map((r) => r.cpuMsPerRequest.postgres)),
          otherCores: median(mine.map((r) => r.cpuSeconds.other / r.cpuSeconds.wallS)),
        });
      }
    }
    const ratios = [];
    for (const name of order.filter((t) => t !== 'baseline')) {
      for (const connections of CONNECTIONS) {
        const mine = table.find((r) => r.target === name && r.connections === connections);
        const base = table.find((r) => r.target === 'baseline' && r.connections === connections);
        if (!mine || !base) continue;
        const reqPerSec = mine.reqPerSec / base.reqPerSec;
        const p99 = mine.p99 / base.p99;
        ratios.push({ target: name, connections, reqPerSec, p99, meetsTarget: reqPerSec >= 0.9 && p99 <= 1.2 });
      }
    }

    const lines = [];
    lines.push('');
    lines.push(
      `Unlock benchmark: ${USERS} locked users, ${PAIRS} rounds of ${DURATION_S} s per target and connection count (medians), warm-up ${WARMUP_S} s per target`,
    );
    lines.push(`Node.js: bench ${process.version}, ${order.map((t) => `${t} ${targets[t].node}`).join(', ')}`);
    lines.push('target     conns    req/s   p50 ms   p99 ms  non-2xx       2xx  USER.UNLOCKED  CPU ms/req: process  postgres  other cores');
    for (const r of table) {
      lines.push(
        `${r.target.padEnd(10)}${pad(r.connections, 6)}${pad(r.reqPerSec.toFixed(0), 9)}${pad(r.p50, 9)}${pad(r.p99, 9)}${pad(r.non2xx, 9)}${pad(r.ok2xx, 10)}${pad(r.unlockedEvents, 15)}` +
          `${pad(r.cpuMsPerRequest.toFixed(2), 21)}${pad(r.postgresCpuMsPerRequest.toFixed(2), 10)}${pad(r.otherCores.toFixed(2), 13)}`,
      );
    }
    lines.push(
      '(req/s, p50, p99, CPU: medians over the rounds; non-2xx includes socket errors and timeouts; USER.UNLOCKED: outbox rows written during the rounds;',
    );
    lines.push(' "other cores": CPU used by processes outside the bench during a round, in cores)');
    lines.push('');
    for (const r of ratios) {
      lines.push(
        `c=${r.connections}: ${r.target}/baseline req/s ${(r.reqPerSec * 100).toFixed(1)} % (target >= 90 %), p99 ${r.p99.toFixed(2)}x (target <= 1.2x): ${r.meetsTarget ? 'met' : 'NOT met'}`,
      );
    }
    console.log(lines.join('\n'));

    const report = {
      startedAt: startedAt.toISOString(),
      source: gitDescription(SERVICE_DIR),
      finishedAt: new Date().toISOString(),
      settings: {
        users: USERS,
        warmupS: WARMUP_S,
        durationS: DURATION_S,
        connections: CONNECTIONS,
        pairs: PAIRS,
        seed: SEED,
        targets: order,
        serviceDir: SERVICE_DIR,
        candidateDir: CANDIDATE_DIR,
        serviceNodeArgs: SERVICE_NODE_ARGS,
        candidateNodeArgs: CANDIDATE_NODE_ARGS,
        baselineNodeArgs: BASELINE_NODE_ARGS,
        baselineVerifiesJwt: BASELINE_VERIFY_JWT,
      },
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryBytes: os.totalmem(),
        node: process.version,
        targetNode: Object.fromEntries(order.map((t) => [t, targets[t].node])),
        postgres: (await db.query('SHOW server_version')).rows[0].server_version,
      },
      probes,
      table,
      ratios,
      warmups,
      rounds,
    };
    const dir = path.join(ROOT, 'bench', 'results');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
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
