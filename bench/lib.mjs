/* global fetch, AbortSignal */
/**
 * What the benchmarks that start the service share: child processes (always stopped, also on
 * SIGINT/SIGTERM), free ports, a dedicated database, locked users to unlock, the autocannon unlock
 * load, CPU accounting from /proc, and small statistics. Every function takes what differs between
 * benches (database names, seeds, limits) as arguments; nothing here reads bench settings.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HOST = '127.0.0.1';
export const UNLOCK_TYPE = 'application/vnd.pingidentity.account.unlock+json';

export function int(value, fallback) {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : fallback;
}

export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A database name the bench may drop: a plain identifier, so it is safe to put into SQL text. */
export function checkDatabaseName(name, variable) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${variable} must be a plain identifier, got ${name}`);
  return name;
}

export function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free TCP port on 127.0.0.1 (the OS picks it; the child binds it right after). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Child processes: started here, always stopped in `finally` (and on SIGINT/SIGTERM).

const children = new Set();

export function startChild(name, args, extraEnv, cwd = ROOT) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const record = { name, child, stdout: '', stderr: '', exited: null };
  child.stdout.on('data', (d) => (record.stdout = (record.stdout + d).slice(-20_000)));
  child.stderr.on('data', (d) => (record.stderr = (record.stderr + d).slice(-20_000)));
  record.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  children.add(record);
  void record.exited.then(() => children.delete(record));
  return record;
}

export async function stopChild(record) {
  if (record.child.exitCode !== null || record.child.signalCode !== null) return;
  record.child.kill('SIGTERM');
  const done = await Promise.race([record.exited.then(() => true), sleep(8_000).then(() => false)]);
  if (!done) {
    record.child.kill('SIGKILL');
    await Promise.race([record.exited, sleep(2_000)]);
  }
}

export async function stopAll() {
  await Promise.all([...children].map(stopChild));
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping child processes`);
    void stopAll().finally(() => process.exit(130));
  });
}

/** Runs a short-lived child to completion and returns its stdout. */
export async function runToEnd(name, args, extraEnv, timeoutMs, cwd = ROOT) {
  const record = startChild(name, args, extraEnv, cwd);
  const result = await Promise.race([record.exited, sleep(timeoutMs).then(() => null)]);
  if (!result) {
    await stopChild(record);
    throw new Error(`${name} did not finish within ${timeoutMs} ms:\n${record.stderr}`);
  }
  if (result.code !== 0) throw new Error(`${name} exited with ${result.code ?? result.signal}:\n${record.stderr}${record.stdout}`);
  return record.stdout;
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes (bounded). */
export async function waitUntilUp(record, url, timeoutMs) {
  const attempts = Math.ceil(timeoutMs / 200);
  for (let i = 0; i < attempts; i++) {
    if (record.child.exitCode !== null) break;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${record.name} did not come up at ${url}:\n${record.stderr}${record.stdout}`);
}

/** An access token of the bootstrapped worker application (client credentials, HTTP Basic). */
export async function fetchToken(baseUrl, { environmentId, clientId, clientSecret }) {
  const res = await fetch(`${baseUrl}/${environmentId}/as/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const body = await res.json();
  if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

// ---------------------------------------------------------------------------------------------
// Database

/** Drops (WITH (FORCE)) and creates `name`: only ever a database the bench owns. */
export async function recreateDatabase(adminUrl, name, { logStatements = false } = {}) {
  checkDatabaseName(name, 'the bench database');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    if (logStatements) await admin.query(`ALTER DATABASE ${name} SET log_statement = 'all'`);
  } finally {
    await admin.end();
  }
}

/** Seeds `count` locked users plus one probe user; returns their ids in a seeded shuffled order. */
export async function seedUsers(db, environmentId, populationId, count, seed) {
  await db.query(
    `INSERT INTO "User" (id, "environmentId", "populationId", username, "usernameLower", email,
       "accountStatus", "lockReason", "lockedAt", "updatedAt")
     SELECT gen_random_uuid(), $1, $2, 'bench.user.' || g, 'bench.user.' || g, 'bench.user.' || g || '@example.com',
       'LOCKED', 'ADMIN', now(), now()
     FROM generate_series(0, $3) AS g`,
    [environmentId, populationId, count],
  );
  const { rows } = await db.query(`SELECT id, username FROM "User" WHERE "environmentId" = $1 ORDER BY "usernameLower"`, [environmentId]);
  const probe = rows.find((r) => r.username === `bench.user.${count}`).id;
  const ids = rows.filter((r) => r.id !== probe).map((r) => r.id);
  shuffle(ids, mulberry32(seed));
  return { ids, probe };
}

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
}

/** Every user locked again (one UPDATE), then the dead row versions vacuumed away. */
export async function relockAll(db, environmentId) {
  const { rowCount } = await db.query(
    `UPDATE "User" SET "accountStatus" = 'LOCKED', "lockReason" = 'ADMIN', "lockedAt" = now(), "updatedAt" = now()
     WHERE "environmentId" = $1 AND "accountStatus" = 'OK'`,
    [environmentId],
  );
  await db.query('VACUUM "User"');
  return rowCount;
}

export async function outboxMark(db) {
  const { rows } = await db.query(`SELECT coalesce(max(sequence), 0)::text AS seq FROM "OutboxEvent"`);
  return rows[0].seq;
}

export async function unlockedSince(db, mark) {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM "OutboxEvent" WHERE sequence > $1 AND type = 'USER.UNLOCKED'`, [mark]);
  return rows[0].n;
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux; 100 ticks per second)

const TICKS_PER_S = 100;

export async function readTicks(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** Busy ticks of the whole machine (all cores). */
export async function machineBusyTicks() {
  const [, ...values] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = values;
  return user + nice + system + irq + softirq + steal;
}

/** Postgres processes that work for a bench: backends of its database `dbName` and the server's own. */
export async function postgresPids(dbName) {
  const pids = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline;
    try {
      cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replace(/\0/g, ' ');
    } catch {
      continue;
    }
    const isPostgres = cmdline.startsWith('postgres:') || /\/bin\/postgres\s/.test(cmdline);
    if (!isPostgres) continue;
    const backend = /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(cmdline);
    if (!backend || cmdline.includes(` ${dbName} `)) pids.push({ pid: Number(entry), backend });
  }
  return pids;
}

/** CPU ticks of each role's process (`{ role: pid }`), of the database's Postgres processes, and of the machine. */
export async function cpuSnapshot(rolePids, dbName) {
  const roles = {};
  for (const [role, pid] of Object.entries(rolePids)) roles[role] = (await readTicks(pid)) ?? 0;
  const postgres = new Map();
  for (const { pid, backend } of await postgresPids(dbName)) {
    const ticks = await readTicks(pid);
    if (ticks !== null) postgres.set(pid, { ticks, backend });
  }
  return { at: Date.now(), busy: await machineBusyTicks(), roles, postgres };
}

/** CPU seconds per role between two snapshots; "other" is everything on the machine not ours. */
export function cpuDelta(a, b) {
  const seconds = (ticks) => ticks / TICKS_PER_S;
  const out = {};
  let ours = 0;
  for (const role of Object.keys(b.roles)) {
    const d = Math.max(0, b.roles[role] - (a.roles[role] ?? 0));
    out[role] = seconds(d);
    ours += d;
  }
  let backendTicks = 0;
  let serverTicks = 0;
  for (const [pid, { ticks, backend }] of b.postgres) {
    const d = ticks - (a.postgres.get(pid)?.ticks ?? 0);
    if (backend) backendTicks += d;
    else serverTicks += d;
  }
  // Backends of the bench database; the server's own processes (WAL writer, checkpointer, ...)
  // also work for any other database in use on the machine, so they are reported apart.
  out.postgres = seconds(backendTicks);
  out.postgresServer = seconds(serverTicks);
  ours += backendTicks + serverTicks;
  const busy = b.busy - a.busy;
  out.other = seconds(Math.max(0, busy - ours));
  out.machineBusy = seconds(busy);
  out.wallS = (b.at - a.at) / 1000;
  return out;
}

/** Waits (at most `maxS` seconds) until processes that are not part of the bench use under 0.15 core. */
export async function waitForQuiet(rolePids, dbName, maxS) {
  const started = Date.now();
  for (let i = 0; i < maxS; i++) {
    const a = await cpuSnapshot(rolePids, dbName);
    await sleep(1000);
    const d = cpuDelta(a, await cpuSnapshot(rolePids, dbName));
    if (d.other / d.wallS < 0.15) return (Date.now() - started) / 1000;
  }
  return (Date.now() - started) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Load

/**
 * One autocannon run of unlocks. Every request takes the next id of `ids` (one counter shared by
 * all connections, so no user is asked twice until the list wraps around). `overallRate` (req/s
 * over all connections) makes it a fixed-rate load; without it each connection sends its next
 * request as soon as the previous one is answered. `amount` stops it after that many requests
 * instead of after `duration` seconds.
 */
export function unlockLoad({ port, environmentId, ids, token, connections, duration, overallRate, amount }) {
  let next = 0;
  const headers = { 'content-type': UNLOCK_TYPE, authorization: `Bearer ${token}` };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://${HOST}:${port}`,
        connections,
        duration,
        pipelining: 1,
        timeout: 10,
        headers,
        ...(overallRate ? { overallRate } : {}),
        ...(amount ? { amount } : {}),
        requests: [
          {
            method: 'POST',
            setupRequest(request) {
              const id = ids[next % ids.length];
              next += 1;
              return { ...request, method: 'POST', path: `/v1/environments/${environmentId}/users/${id}` };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ ...result, idsIssued: next })),
    );
    instance.on('error', () => undefined);
  });
}

/**
 * Unlocks at a steady rate: request i is sent at start + i / rate, whatever happened to the ones
 * before (an open loop), over at most `connections` keep-alive connections (requests wait for a free
 * one). autocannon's `overallRate` is not steady: it gives each connection a quota per second, so
 * every connection sends its share at the start of each second and the load comes in bursts.
 * Latency is counted from the time a request was due, so time spent waiting for a connection is
 * included. The result has the fields of autocannon's that the benches read.
 */
export async function steadyUnlockLoad({ port, environmentId, ids, token, connections, duration, rate, timeoutMs = 10_000 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const headers = { 'content-type': UNLOCK_TYPE, authorization: `Bearer ${token}` };
  const count = Math.round(rate * duration);
  const latencies = [];
  const statuses = { ok2xx: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const pending = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    const id = ids[i % ids.length];
    pending.push(
      new Promise((resolve) => {
        const request = http.request(
          { host: HOST, port, method: 'POST', path: `/v1/environments/${environmentId}/users/${id}`, headers, agent, timeout: timeoutMs },
          (response) => {
            response.resume();
            response.on('end', () => {
              latencies.push(performance.now() - due);
              if (response.statusCode >= 200 && response.statusCode < 300) statuses.ok2xx += 1;
              else statuses.non2xx += 1;
              resolve();
            });
          },
        );
        request.on('timeout', () => {
          statuses.timeouts += 1;
          request.destroy(new Error('timeout'));
        });
        request.on('error', () => {
          statuses.errors += 1;
          resolve();
        });
        request.end();
      }),
    );
  }
  const sentS = (performance.now() - started) / 1000;
  await Promise.all(pending);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const ms = (v) => (v === null ? null : Math.round(v));
  return {
    duration: sentS,
    requests: { average: count / sentS, total: count },
    latency: {
      p50: ms(percentile(sorted, 50)),
      p90: ms(percentile(sorted, 90)),
      p99: ms(percentile(sorted, 99)),
      max: ms(sorted.length ? sorted[sorted.length - 1] : null),
    },
    '2xx': statuses.ok2xx,
    non2xx: statuses.non2xx,
    errors: statuses.errors,
    timeouts: statuses.timeouts,
    idsIssued: count,
  };
}

/** The commit measured, and whether the working tree differed from it (read-only git calls). */
export function gitDescription(dir) {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return {
      commit: git('rev-parse', 'HEAD'),
      changedFiles: git('status', '--porcelain', '--', 'src', 'prisma').split('\n').filter(Boolean).length,
    };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The p-th percentile (0-100) of already sorted values, nearest rank; null when there are none. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function pad(value, width) {
  return String(value).padStart(width);
}
