/* global fetch */
/**
 * Event delivery benchmark: how fast committed events reach a webhook receiver, how long they take
 * to get there under a steady unlock load, and what delivering them costs the unlock itself.
 *
 *   npm run bench:events     (builds, then runs this file; `npm run bench` runs it after the two others)
 *   .ci/with-node24 npm run bench:events   the same on Node.js 24 (the service runs on the bench's node)
 *
 * Everything runs on 127.0.0.1: a dedicated database (dropped and recreated), the service as a child
 * process (EVENT_RELAY=true, WEBHOOK_ALLOW_INSECURE_TARGETS=true), the unlock load and the webhook
 * receivers in this process. The receivers (one HTTP server per subscription, each on its own port)
 * answer 204 and record, for every request, when it arrived and which event it carried (the
 * `webhook-id` header and the activity's `id` and `createdAt`); they also verify each request's
 * Standard Webhooks signature and the subscription's header.
 *
 * Subscriptions are written straight to the database as the subscriptions API stores them (the
 * signing secret and the headers encrypted with the service's SecretBox under their purposes, from
 * dist/, with the same ENCRYPTION_KEYS as the service), each with its DeliveryCursor. All of them
 * take USER.UNLOCKED of the bench environment.
 *
 * Phases, in one run:
 *   1. Backlog throughput: BENCH_EVENTS_BACKLOG unlocks (autocannon) with no subscription, then one subscription
 *      whose cursor starts at position 0, so the whole backlog is due at once; events/s from the
 *      first to the last receipt, and from the subscription's creation to the last receipt.
 *   2. Lag under a steady load: for each rate of BENCH_EVENTS_RATES, unlocks at that rate for
 *      BENCH_EVENTS_LAG_S seconds, with 1 and then with BENCH_EVENTS_SUBSCRIPTIONS subscriptions;
 *      lag = receipt time minus the activity's createdAt (taken when the event is written in the
 *      unlock's transaction, a millisecond or so before the commit), p50/p99/max over every receipt.
 *      The load is paced here (lib.mjs steadyUnlockLoad: one request every 1/rate s), not by
 *      autocannon, whose overallRate sends each second's quota in a burst at the start of the second.
 *   3. The unlock's throughput with the subscriptions active against none: BENCH_EVENTS_PAIRS pairs of
 *      rounds (none, active, none, active, ...), autocannon at BENCH_EVENTS_CONNECTIONS connections, as in run.mjs
 *      (every user locked again before each round, CPU per request from /proc, medians). Between
 *      rounds the subscriptions are disabled (UPDATE "Subscription".enabled); before an active round
 *      their cursors are moved to the last position and they are enabled again, so the round
 *      measures delivery keeping up with new events, not a backlog left by the round before. After
 *      an active round the bench waits until every event of it reached every subscription.
 * In every phase each subscription's receipts are checked against the outbox: every event exactly
 * once (missing and duplicates counted) and in position order (order violations counted).
 *
 * Settings (environment variables, defaults in brackets):
 *   BENCH_ADMIN_URL            database to run CREATE/DROP DATABASE from [postgresql://postgres@127.0.0.1:5432/postgres]
 *   BENCH_EVENTS_DB            bench database, dropped and recreated [identity_bench_events]
 *   BENCH_EVENTS_USERS         locked users seeded (every round starts with all of them locked) [20000]
 *   BENCH_EVENTS_BACKLOG       unlocks made before the backlog subscription exists [5000]
 *   BENCH_EVENTS_RATES         steady unlock rates of the lag phases, req/s, comma-separated [20,100]
 *   BENCH_EVENTS_LAG_S         seconds of each lag phase [20]
 *   BENCH_EVENTS_SUBSCRIPTIONS subscriptions in the larger lag phases and in the active rounds [10]
 *   BENCH_EVENTS_CONNECTIONS   connections of the unlock load (at most, for the steady one) [16]
 *   BENCH_EVENTS_DURATION      seconds per throughput round [BENCH_DURATION, else 10]
 *   BENCH_EVENTS_PAIRS         pairs of throughput rounds (none, active) [3]
 *   BENCH_EVENTS_DRAIN_S       longest wait for every event to reach every subscription, per phase [180]
 *   BENCH_SEED                 seed of the user order [1]
 *   BENCH_QUIET_MAX_S          seconds a phase may wait for foreign CPU load to drop under 0.15 core [5]
 * The service's own settings (EVENT_RELAY_POLL_MS, DATABASE_POOL_SIZE, ...) are passed through from
 * the environment; the results file records the ones that shape delivery.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { subscriptionHeadersPurpose, subscriptionSigningSecretPurpose } from '../dist/crypto/purposes.js';
import { SecretBox } from '../dist/crypto/secret-box.js';
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
  pad,
  percentile,
  recreateDatabase,
  relockAll,
  ROOT,
  runToEnd,
  seedUsers,
  sleep,
  startChild,
  steadyUnlockLoad,
  stopAll,
  UNLOCK_TYPE,
  unlockLoad,
  waitForQuiet,
  waitUntilUp,
  withDatabase,
} from './lib.mjs';
import { nodeVersionOf } from './node-version.mjs';

// The service, the bootstrap CLI and this process (which encrypts the subscriptions' secrets) share it.
const ENCRYPTION_KEYS = randomBytes(32).toString('base64url');

const env = process.env;
const ADMIN_URL = env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DB_NAME = checkDatabaseName(env.BENCH_EVENTS_DB ?? 'identity_bench_events', 'BENCH_EVENTS_DB');
const USERS = int(env.BENCH_EVENTS_USERS, 20_000);
const BACKLOG = int(env.BENCH_EVENTS_BACKLOG, 5_000);
const RATES = (env.BENCH_EVENTS_RATES ?? '20,100')
  .split(',')
  .map((r) => int(r, 0))
  .filter((r) => r > 0);
const LAG_S = int(env.BENCH_EVENTS_LAG_S, 20);
const SUBSCRIPTIONS = Math.max(1, int(env.BENCH_EVENTS_SUBSCRIPTIONS, 10));
const CONNECTIONS = int(env.BENCH_EVENTS_CONNECTIONS, 16);
const DURATION_S = int(env.BENCH_EVENTS_DURATION, int(env.BENCH_DURATION, 10));
const PAIRS = int(env.BENCH_EVENTS_PAIRS, 3);
const DRAIN_S = int(env.BENCH_EVENTS_DRAIN_S, 180);
const SEED = int(env.BENCH_SEED, 1);
const QUIET_MAX_S = int(env.BENCH_QUIET_MAX_S, 5);
/** The service's poll interval (its default unless set in the environment): how long a disabled subscription's loop may take to notice. */
const RELAY_POLL_MS = int(env.EVENT_RELAY_POLL_MS, 250);
const DB_URL = withDatabase(ADMIN_URL, DB_NAME);
const EVENT_TYPE = 'USER.UNLOCKED';

// ---------------------------------------------------------------------------------------------
// Webhook receivers: one HTTP server per subscription, each on a port of its own.

/** The phase receipts are counted in (set by the bench as it goes; a label only). */
let currentPhase = 'setup';

async function startReceiver(index) {
  const receiver = {
    index,
    port: 0,
    url: '',
    /** Set once its subscription exists: verifies signatures and the subscription's header. */
    webhook: null,
    expectedHeader: null,
    receipts: [],
    ids: new Set(),
    badSignatures: 0,
    badHeaders: 0,
    idMismatches: 0,
    unreadable: 0,
    server: null,
  };
  receiver.server = http.createServer((req, res) => {
    const at = Date.now();
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(204).end();
      const body = Buffer.concat(chunks).toString('utf8');
      let activity;
      try {
        const parsed = JSON.parse(body);
        activity = Array.isArray(parsed) && parsed.length === 1 ? parsed[0] : undefined;
      } catch {
        activity = undefined;
      }
      const webhookId = req.headers['webhook-id'];
      if (!activity?.id || !activity.createdAt) {
        receiver.unreadable += 1;
        return;
      }
      if (activity.id !== webhookId) receiver.idMismatches += 1;
      if (receiver.expectedHeader && req.headers['x-bench-subscription'] !== receiver.expectedHeader) receiver.badHeaders += 1;
      if (receiver.webhook) {
        try {
          receiver.webhook.verify(body, req.headers);
        } catch {
          receiver.badSignatures += 1;
        }
      }
      receiver.receipts.push({ at, id: activity.id, createdAt: Date.parse(activity.createdAt), phase: currentPhase });
      receiver.ids.add(activity.id);
    });
  });
  await new Promise((resolve) => receiver.server.listen(0, HOST, resolve));
  receiver.port = receiver.server.address().port;
  receiver.url = `http://${HOST}:${receiver.port}/hooks/${index}`;
  return receiver;
}

function closeReceiver(receiver) {
  receiver.server.closeAllConnections?.();
  return new Promise((resolve) => receiver.server.close(() => resolve()));
}

// ---------------------------------------------------------------------------------------------
// Subscriptions, written as the subscriptions API stores them (see test/support/subscriptions.ts).

/**
 * A subscription to USER.UNLOCKED of the environment, posting to `receiver`, with its cursor at
 * `cursorAt` (a position; null: after every event placed so far, as a new subscription starts).
 */
async function insertSubscription(db, box, { environmentId, receiver, enabled, cursorAt }) {
  const id = randomUUID();
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const headerValue = randomBytes(12).toString('hex');
  const signingSecretCiphertext = await box.encrypt(secret, subscriptionSigningSecretPurpose(id));
  const headersCiphertext = await box.encrypt(JSON.stringify({ 'x-bench-subscription': headerValue }), subscriptionHeadersPurpose(id));
  receiver.webhook = new Webhook(secret);
  receiver.expectedHeader = headerValue;
  await db.query('BEGIN');
  try {
    await db.query(
      `INSERT INTO "Subscription" (id, "environmentId", name, enabled, "includedActionTypes", "includedPopulationIds",
         "includedApplicationIds", url, "headersCiphertext", "verifyTlsCertificates", "signingSecretCiphertext")
       VALUES ($1, $2, $3, $4, $5::text[], '{}', '{}', $6, $7, true, $8)`,
      [id, environmentId, `bench ${receiver.index}`, enabled, [EVENT_TYPE], receiver.url, headersCiphertext, signingSecretCiphertext],
    );
    await db.query(
      `INSERT INTO "DeliveryCursor" (consumer, "subscriptionId", position)
       VALUES ($1, $2::uuid, coalesce($3::bigint, (SELECT coalesce(max("lastPosition"), 0) FROM "OutboxSequencer")))`,
      [id, id, cursorAt],
    );
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
  return { id, receiver };
}

/**
 * Enables the subscriptions with their cursors moved to the last position given, so they receive
 * what is committed from now on (a disabled subscription keeps its events; without the move they
 * would first catch up on those). Returns that position. Called only when nothing is being placed
 * and their delivery loops have stopped (see disable).
 */
async function enable(db, subscriptions) {
  const ids = subscriptions.map((s) => s.id);
  await db.query('BEGIN');
  try {
    const { rows } = await db.query(`SELECT coalesce(max("lastPosition"), 0)::bigint::text AS p FROM "OutboxSequencer"`);
    await db.query(
      `UPDATE "DeliveryCursor" SET position = $2::bigint, attempts = 0, "nextAttemptAt" = NULL WHERE consumer = ANY($1::text[])`,
      [ids, rows[0].p],
    );
    await db.query(`UPDATE "Subscription" SET enabled = true, "updatedAt" = now() WHERE id = ANY($1::uuid[])`, [ids]);
    await db.query('COMMIT');
    return Number(rows[0].p);
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/** Disables them, then gives their delivery loops time to notice (each reads its subscription before every batch). */
async function disable(db, subscriptions) {
  await db.query(`UPDATE "Subscription" SET enabled = false, "updatedAt" = now() WHERE id = ANY($1::uuid[])`, [
    subscriptions.map((s) => s.id),
  ]);
  await sleep(RELAY_POLL_MS * 4 + 500);
}

// ---------------------------------------------------------------------------------------------
// The outbox and the checks

/** Waits until the sequencer has placed every committed event; returns the last position. */
async function waitPlaced(db, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE p.position IS NULL)::int AS unplaced, coalesce(max(p.position), 0)::bigint::text AS last
       FROM "OutboxEvent" AS o LEFT JOIN "OutboxPosition" AS p USING (sequence)`,
    );
    if (rows[0].unplaced === 0) return Number(rows[0].last);
    if (Date.now() > deadline) throw new Error(`${rows[0].unplaced} committed events still have no position after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The subscriptions' events placed in (from, to], in position order. */
async function eventsBetween(db, from, to) {
  const { rows } = await db.query(
    `SELECT o.id, p.position::bigint::text AS position FROM "OutboxEvent" AS o JOIN "OutboxPosition" AS p USING (sequence)
     WHERE o.type = $1 AND p.position > $2 AND p.position <= $3 ORDER BY p.position`,
    [EVENT_TYPE, from, to],
  );
  return rows.map((r) => ({ id: r.id, position: Number(r.position) }));
}

/**
 * Waits until every receiver holds every expected event (they arrive in order, so a pointer per
 * receiver walks the list once), at most DRAIN_S seconds. Returns when that happened, or null.
 */
async function drain(receivers, expected) {
  const pointers = receivers.map(() => 0);
  const deadline = Date.now() + DRAIN_S * 1000;
  for (;;) {
    let done = true;
    receivers.forEach((receiver, i) => {
      while (pointers[i] < expected.length && receiver.ids.has(expected[pointers[i]].id)) pointers[i] += 1;
      if (pointers[i] < expected.length) done = false;
    });
    if (done) return Date.now();
    if (Date.now() > deadline) return null;
    await sleep(20);
  }
}

/**
 * One subscription's receipts of the expected events: each exactly once and in position order.
 * `receipts` are in arrival order (one request at a time per subscription). A receipt of an event
 * outside the list (before `from`, or of another phase) is counted apart.
 */
function checkDelivery(receiver, expected, sinceIndex) {
  const positions = new Map(expected.map((e) => [e.id, e.position]));
  const seen = new Map();
  const details = [];
  let duplicates = 0;
  let orderViolations = 0;
  let outside = 0;
  let lastPosition = -1;
  const lags = [];
  const inRange = [];
  const mine = receiver.receipts.slice(sinceIndex);
  for (const r of mine) {
    const position = positions.get(r.id);
    if (position === undefined) {
      outside += 1;
      continue;
    }
    lags.push(r.at - r.createdAt);
    inRange.push(r);
    if (seen.has(r.id)) {
      duplicates += 1;
      if (details.length < 20)
        details.push({ kind: 'duplicate', position, id: r.id, at: r.at, firstAt: seen.get(r.id), afterPosition: lastPosition });
      continue;
    }
    seen.set(r.id, r.at);
    if (position < lastPosition) {
      orderViolations += 1;
      if (details.length < 20) details.push({ kind: 'order', position, id: r.id, at: r.at, afterPosition: lastPosition });
    }
    lastPosition = Math.max(lastPosition, position);
  }
  return {
    subscription: receiver.index,
    expected: expected.length,
    delivered: seen.size,
    missing: expected.length - seen.size,
    duplicates,
    orderViolations,
    outside,
    firstAt: inRange.length ? inRange[0].at : null,
    lastAt: inRange.length ? inRange[inRange.length - 1].at : null,
    details,
    lags,
    receipts: inRange,
  };
}

/** The lag of the receipts that arrived in each second after `startedAt`: whether it stays flat or grows over the phase. */
function lagBySecond(checks, startedAt) {
  const seconds = [];
  for (const c of checks) {
    for (const r of c.receipts) {
      const s = Math.max(0, Math.floor((r.at - startedAt) / 1000));
      (seconds[s] ??= []).push(r.at - r.createdAt);
    }
  }
  return Array.from(seconds, (lags, s) => ({ second: s, ...lagStats(lags ?? []) }));
}

function lagStats(lags) {
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    receipts: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : null,
    min: sorted.length ? sorted[0] : null,
  };
}

function totals(checks) {
  const sum = (key) => checks.reduce((s, c) => s + c[key], 0);
  return {
    expected: sum('expected'),
    delivered: sum('delivered'),
    missing: sum('missing'),
    duplicates: sum('duplicates'),
    orderViolations: sum('orderViolations'),
    outside: sum('outside'),
  };
}

/** Where each subscription's cursor is, and its last error: printed when events did not arrive. */
async function cursorStates(db, subscriptions) {
  const { rows } = await db.query(
    `SELECT c.consumer, c.position::text, c.attempts, c."lastError", c."leaseOwner", c."leaseExpiresAt", s.enabled
     FROM "DeliveryCursor" c JOIN "Subscription" s ON s.id = c."subscriptionId" WHERE c.consumer = ANY($1::text[])`,
    [subscriptions.map((s) => s.id)],
  );
  return rows;
}

function describeChecks(t) {
  return `delivered ${t.delivered}/${t.expected}, missing ${t.missing}, duplicates ${t.duplicates}, order violations ${t.orderViolations}, outside the phase ${t.outside}`;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  log(`node ${process.version} (${process.execPath}); the service is started with it`);
  log(`recreating database ${DB_NAME}`);
  await recreateDatabase(ADMIN_URL, DB_NAME);

  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  log(`starting the service on ${HOST}:${port} (EVENT_RELAY=true, WEBHOOK_ALLOW_INSECURE_TARGETS=true)`);
  const service = startChild('service', ['dist/main.js'], {
    DATABASE_URL: DB_URL,
    ENCRYPTION_KEYS,
    PORT: String(port),
    HOST,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ON_EMPTY: 'false',
    EVENT_RELAY: 'true',
    WEBHOOK_ALLOW_INSECURE_TARGETS: 'true',
  });
  await waitUntilUp(service, `${base}/health`, 30_000);
  const serviceNode = nodeVersionOf(service.child.pid);
  log(`service: up, node ${serviceNode}`);

  const boot = JSON.parse(
    await runToEnd(
      'bootstrap',
      ['dist/cli/main.js', 'bootstrap', '--json'],
      { DATABASE_URL: DB_URL, ENCRYPTION_KEYS, LOG_LEVEL: 'warn' },
      60_000,
    ),
  );
  const { environmentId, populationId } = boot;
  const box = new SecretBox([ENCRYPTION_KEYS]);
  const receivers = [];
  for (let i = 0; i < SUBSCRIPTIONS; i++) receivers.push(await startReceiver(i));
  log(`${receivers.length} webhook receivers on ports ${receivers.map((r) => r.port).join(', ')}`);

  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  const rolePids = { service: service.child.pid, bench: process.pid };
  const eventLoop = monitorEventLoopDelay({ resolution: 10 });
  try {
    log(`seeding ${USERS} locked users`);
    const { ids, probe } = await seedUsers(db, environmentId, populationId, USERS, SEED);
    await db.query('VACUUM ANALYZE');
    const token = await fetchToken(base, boot);
    const res = await fetch(`${base}/v1/environments/${environmentId}/users/${probe}`, {
      method: 'POST',
      headers: { 'content-type': UNLOCK_TYPE, authorization: `Bearer ${token}` },
    });
    const probeText = await res.text();
    if (res.status !== 200 || JSON.parse(probeText).account?.status !== 'OK') {
      throw new Error(`probe unlock answered ${res.status}: ${probeText.slice(0, 500)}`);
    }
    const loadOptions = { port, environmentId, ids, token };
    const subscriptions = [];

    // -- 1. Backlog throughput ----------------------------------------------------------------
    currentPhase = 'backlog';
    await relockAll(db, environmentId);
    log(`backlog: ${BACKLOG} unlocks at ${CONNECTIONS} connections, no subscription yet`);
    const backlogLoad = await unlockLoad({ ...loadOptions, connections: CONNECTIONS, amount: BACKLOG, duration: 600 });
    await sleep(300);
    const backlogTo = await waitPlaced(db);
    const backlogEvents = await eventsBetween(db, 0, backlogTo);
    log(
      `backlog: ${backlogLoad.requests.total} unlocks (${backlogLoad.requests.average.toFixed(0)} req/s, 2xx ${backlogLoad['2xx']}), ` +
        `${backlogEvents.length} ${EVENT_TYPE} events placed; adding a subscription with its cursor at 0`,
    );
    const backlogCpuBefore = await cpuSnapshot(rolePids, DB_NAME);
    const createdAt = Date.now();
    subscriptions.push(await insertSubscription(db, box, { environmentId, receiver: receivers[0], enabled: true, cursorAt: '0' }));
    const subscriptionCommittedAt = Date.now();
    const backlogDone = await drain([receivers[0]], backlogEvents);
    const backlogCpu = cpuDelta(backlogCpuBefore, await cpuSnapshot(rolePids, DB_NAME));
    const backlogCheck = checkDelivery(receivers[0], backlogEvents, 0);
    const backlog = {
      unlocks: backlogLoad.requests.total,
      unlockReqPerSec: backlogLoad.requests.average,
      events: backlogEvents.length,
      drained: backlogDone !== null,
      subscriptionInsertMs: subscriptionCommittedAt - createdAt,
      firstReceiptAfterMs: backlogCheck.firstAt === null ? null : backlogCheck.firstAt - subscriptionCommittedAt,
      firstToLastS: backlogCheck.firstAt === null ? null : (backlogCheck.lastAt - backlogCheck.firstAt) / 1000,
      creationToLastS: backlogCheck.lastAt === null ? null : (backlogCheck.lastAt - subscriptionCommittedAt) / 1000,
      check: { ...backlogCheck, lags: undefined, receipts: undefined },
      cpuSeconds: backlogCpu,
    };
    backlog.eventsPerSecFirstToLast = backlog.firstToLastS ? (backlogCheck.delivered - 1) / backlog.firstToLastS : null;
    backlog.eventsPerSecFromCreation = backlog.creationToLastS ? backlogCheck.delivered / backlog.creationToLastS : null;
    backlog.cpuMsPerEvent = {
      service: (backlogCpu.service * 1000) / Math.max(1, backlogCheck.delivered),
      postgres: (backlogCpu.postgres * 1000) / Math.max(1, backlogCheck.delivered),
      bench: (backlogCpu.bench * 1000) / Math.max(1, backlogCheck.delivered),
    };
    log(
      `backlog: ${describeChecks(totals([backlogCheck]))}; ` +
        `${backlog.eventsPerSecFirstToLast?.toFixed(0)} events/s first to last receipt (${backlog.firstToLastS?.toFixed(1)} s), ` +
        `${backlog.eventsPerSecFromCreation?.toFixed(0)} events/s from the subscription's creation; first receipt ${backlog.firstReceiptAfterMs} ms after it; ` +
        `CPU ms/event: service ${backlog.cpuMsPerEvent.service.toFixed(2)}, postgres ${backlog.cpuMsPerEvent.postgres.toFixed(2)}, bench ${backlog.cpuMsPerEvent.bench.toFixed(2)}`,
    );
    if (!backlog.drained) log(`backlog: NOT drained within ${DRAIN_S} s: ${JSON.stringify(await cursorStates(db, subscriptions))}`);
    await disable(db, subscriptions);

    // The other subscriptions, disabled until a phase enables them.
    while (subscriptions.length < SUBSCRIPTIONS) {
      subscriptions.push(
        await insertSubscription(db, box, { environmentId, receiver: receivers[subscriptions.length], enabled: false, cursorAt: null }),
      );
    }

    /**
     * One phase with `active` subscriptions enabled (possibly none): the load, then (when there are
     * subscriptions) the wait until every event reached every one of them, and the checks.
     */
    const phase = async (label, active, load) => {
      currentPhase = label;
      const relocked = await relockAll(db, environmentId);
      const waitedForQuietS = await waitForQuiet(rolePids, DB_NAME, QUIET_MAX_S);
      await waitPlaced(db);
      const from = active.length ? await enable(db, active) : await waitPlaced(db);
      const receiptIndex = receivers.map((r) => r.receipts.length);
      eventLoop.reset();
      eventLoop.enable();
      const before = await cpuSnapshot(rolePids, DB_NAME);
      const loadStartedAt = Date.now();
      const result = load.rate ? await steadyUnlockLoad({ ...loadOptions, ...load }) : await unlockLoad({ ...loadOptions, ...load });
      const cpu = cpuDelta(before, await cpuSnapshot(rolePids, DB_NAME));
      eventLoop.disable();
      const loadEndedAt = Date.now();
      const receivedDuringLoad = receivers.reduce((s, r, i) => s + r.receipts.length - receiptIndex[i], 0);
      await sleep(300);
      const to = await waitPlaced(db);
      const expected = await eventsBetween(db, from, to);
      const activeReceivers = active.map((s) => s.receiver);
      const drainedAt = active.length ? await drain(activeReceivers, expected) : loadEndedAt;
      const checks = activeReceivers.map((r) => checkDelivery(r, expected, receiptIndex[r.index]));
      // Requests to subscriptions that were not enabled (none expected).
      const strayReceipts = receivers
        .filter((r) => !activeReceivers.includes(r))
        .reduce((s, r) => s + r.receipts.length - receiptIndex[r.index], 0);
      const total = Math.max(1, result.requests.total);
      const summary = {
        label,
        subscriptions: active.length,
        connections: load.connections,
        rate: load.rate ?? null,
        durationS: result.duration,
        relockedBefore: relocked,
        waitedForQuietS,
        reqPerSec: result.requests.average,
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        total: result.requests.total,
        ok2xx: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        unlockedEvents: expected.length,
        fromPosition: from,
        toPosition: to,
        deliveriesDuringLoad: receivedDuringLoad,
        deliveriesPerSecDuringLoad: receivedDuringLoad / result.duration,
        drained: drainedAt !== null,
        drainAfterLoadS: drainedAt === null ? null : (drainedAt - loadEndedAt) / 1000,
        delivery: totals(checks),
        strayReceipts,
        lag: lagStats(checks.flatMap((c) => c.lags)),
        lagBySecond: lagBySecond(checks, loadStartedAt),
        perSubscription: checks.map((c) => ({ ...c, lags: undefined, receipts: undefined, lag: lagStats(c.lags) })),
        cpuSeconds: cpu,
        cpuMsPerRequest: {
          service: (cpu.service * 1000) / total,
          postgres: (cpu.postgres * 1000) / total,
          bench: (cpu.bench * 1000) / total,
        },
        benchEventLoopDelayMs: { p50: eventLoop.percentile(50) / 1e6, p99: eventLoop.percentile(99) / 1e6, max: eventLoop.max / 1e6 },
      };
      const lag = summary.lag;
      log(
        `${label} (${active.length} subscription${active.length === 1 ? '' : 's'}, ${load.rate ? `${load.rate} req/s steady` : `c=${load.connections}`}): ` +
          `unlocks ${summary.reqPerSec.toFixed(0)} req/s, p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, 2xx ${summary.ok2xx}, non-2xx ${summary.non2xx}, errors ${summary.errors}; ` +
          `CPU ms/req: service ${summary.cpuMsPerRequest.service.toFixed(2)}, postgres ${summary.cpuMsPerRequest.postgres.toFixed(2)}, other ${(cpu.other / cpu.wallS).toFixed(2)} cores` +
          (active.length
            ? `; ${expected.length} events x ${active.length}: ${describeChecks(summary.delivery)}; ` +
              `${summary.deliveriesPerSecDuringLoad.toFixed(0)} deliveries/s during the load, ` +
              (summary.drained ? `all in ${summary.drainAfterLoadS.toFixed(1)} s after it; ` : `NOT all within ${DRAIN_S} s after it; `) +
              `lag ms p50 ${lag.p50}, p99 ${lag.p99}, max ${lag.max}`
            : '') +
          (strayReceipts ? `; ${strayReceipts} requests to disabled subscriptions` : ''),
      );
      if (active.length && !summary.drained) {
        summary.cursors = await cursorStates(db, active);
        log(`  cursors: ${JSON.stringify(summary.cursors)}`);
      }
      if (active.length) await disable(db, active);
      return summary;
    };

    // -- 2. Lag under a steady load -----------------------------------------------------------
    const lagCounts = [...new Set([1, SUBSCRIPTIONS])];
    const lagPhases = [];
    for (const rate of RATES) {
      for (const count of lagCounts) {
        lagPhases.push(
          await phase(`lag ${rate}/s x${count}`, subscriptions.slice(0, count), { connections: CONNECTIONS, rate, duration: LAG_S }),
        );
      }
    }

    // -- 3. Unlock throughput, subscriptions active against none ------------------------------
    const rounds = [];
    for (let pair = 1; pair <= PAIRS; pair++) {
      for (const active of [[], subscriptions]) {
        rounds.push(
          await phase(`round ${pair}/${PAIRS} ${active.length ? 'active' : 'none'}`, active, {
            connections: CONNECTIONS,
            duration: DURATION_S,
          }),
        );
      }
    }
    const byActive = (n) => rounds.filter((r) => r.subscriptions === n);
    const throughput = [0, SUBSCRIPTIONS].map((n) => {
      const mine = byActive(n);
      return {
        subscriptions: n,
        rounds: mine.length,
        reqPerSec: median(mine.map((r) => r.reqPerSec)),
        p50: median(mine.map((r) => r.latencyMs.p50)),
        p99: median(mine.map((r) => r.latencyMs.p99)),
        non2xx: mine.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
        serviceCpuMsPerRequest: median(mine.map((r) => r.cpuMsPerRequest.service)),
        postgresCpuMsPerRequest: median(mine.map((r) => r.cpuMsPerRequest.postgres)),
        otherCores: median(mine.map((r) => r.cpuSeconds.other / r.cpuSeconds.wallS)),
        deliveriesPerSecDuringLoad: n ? median(mine.map((r) => r.deliveriesPerSecDuringLoad)) : 0,
        drainAfterLoadS: n ? median(mine.map((r) => r.drainAfterLoadS ?? Infinity)) : 0,
        delivery: n ? totals(mine.map((r) => r.delivery)) : null,
        lagP50: n ? median(mine.map((r) => r.lag.p50 ?? Infinity)) : null,
        lagP99: n ? median(mine.map((r) => r.lag.p99 ?? Infinity)) : null,
      };
    });
    const [none, active] = throughput;

    // -- Summary ------------------------------------------------------------------------------
    const lines = [];
    const fmt = (v, digits = 0) => (v === null || v === undefined ? '-' : typeof v === 'number' ? v.toFixed(digits) : String(v));
    lines.push('');
    lines.push(`Event delivery benchmark (${USERS} locked users; all subscriptions take ${EVENT_TYPE}; service poll ${RELAY_POLL_MS} ms)`);
    lines.push(`Node.js: bench ${process.version}, service ${serviceNode}`);
    lines.push('');
    lines.push(
      `1. Backlog: ${backlog.events} events committed before one subscription was created with its cursor at 0 (${backlog.unlocks} unlocks at ${CONNECTIONS} connections)`,
    );
    lines.push(
      `   ${fmt(backlog.eventsPerSecFirstToLast)} events/s first to last receipt (${fmt(backlog.firstToLastS, 1)} s); ` +
        `${fmt(backlog.eventsPerSecFromCreation)} events/s from the subscription's creation (first receipt after ${fmt(backlog.firstReceiptAfterMs)} ms)`,
    );
    lines.push(
      `   CPU ms per event: service ${backlog.cpuMsPerEvent.service.toFixed(2)}, postgres ${backlog.cpuMsPerEvent.postgres.toFixed(2)}, ` +
        `receiver (bench) ${backlog.cpuMsPerEvent.bench.toFixed(2)}; ${describeChecks(totals([backlogCheck]))}`,
    );
    lines.push('');
    lines.push(
      `2. Lag, commit to receipt, under a steady unlock load of ${RATES.join(' and ')} req/s for ${LAG_S} s (lag = receipt time - the activity's createdAt)`,
    );
    lines.push(
      'rate/s  subs  unlock req/s  unlock p50/p99 ms  events  receipts  lag p50 ms  p90 ms  p99 ms  max ms  missing  dup  order  drain s',
    );
    for (const p of lagPhases) {
      lines.push(
        `${pad(p.rate, 6)}${pad(p.subscriptions, 6)}${pad(p.reqPerSec.toFixed(0), 14)}${pad(`${p.latencyMs.p50}/${p.latencyMs.p99}`, 19)}${pad(p.unlockedEvents, 8)}` +
          `${pad(p.lag.receipts, 10)}${pad(fmt(p.lag.p50), 12)}${pad(fmt(p.lag.p90), 8)}${pad(fmt(p.lag.p99), 8)}${pad(fmt(p.lag.max), 8)}` +
          `${pad(p.delivery.missing, 9)}${pad(p.delivery.duplicates, 5)}${pad(p.delivery.orderViolations, 7)}${pad(fmt(p.drainAfterLoadS, 1), 9)}`,
      );
    }
    lines.push('');
    lines.push(
      `3. Unlock throughput at ${CONNECTIONS} connections, ${SUBSCRIPTIONS} subscriptions active against none: ${PAIRS} rounds of ${DURATION_S} s each, alternating (medians)`,
    );
    lines.push('subs    req/s   p50 ms   p99 ms  non-2xx  CPU ms/req: service  postgres  other cores  deliveries/s  drain s');
    for (const r of throughput) {
      lines.push(
        `${pad(r.subscriptions, 4)}${pad(r.reqPerSec.toFixed(0), 9)}${pad(r.p50, 9)}${pad(r.p99, 9)}${pad(r.non2xx, 9)}` +
          `${pad(r.serviceCpuMsPerRequest.toFixed(2), 21)}${pad(r.postgresCpuMsPerRequest.toFixed(2), 10)}${pad(r.otherCores.toFixed(2), 13)}` +
          `${pad(r.subscriptions ? r.deliveriesPerSecDuringLoad.toFixed(0) : '-', 14)}${pad(r.subscriptions ? fmt(r.drainAfterLoadS, 1) : '-', 9)}`,
      );
    }
    lines.push(
      `   with ${SUBSCRIPTIONS} subscriptions: ${((active.reqPerSec / none.reqPerSec) * 100).toFixed(1)} % of the unlock throughput without ` +
        `(rounds: ${rounds.map((r) => `${r.subscriptions ? 'active' : 'none'} ${r.reqPerSec.toFixed(0)}`).join(', ')})`,
    );
    lines.push(`   delivery in the active rounds: ${describeChecks(active.delivery)}`);
    const allChecks = [totals([backlogCheck]), ...lagPhases.map((p) => p.delivery), active.delivery];
    const problems = totals(allChecks.map((t) => ({ ...t })));
    const stray = [...lagPhases, ...rounds].reduce((s, p) => s + p.strayReceipts, 0);
    const receiverFaults = receivers.reduce(
      (acc, r) => ({
        badSignatures: acc.badSignatures + r.badSignatures,
        badHeaders: acc.badHeaders + r.badHeaders,
        idMismatches: acc.idMismatches + r.idMismatches,
        unreadable: acc.unreadable + r.unreadable,
      }),
      { badSignatures: 0, badHeaders: 0, idMismatches: 0, unreadable: 0 },
    );
    lines.push('');
    lines.push(
      `Whole run: ${problems.missing} missing, ${problems.duplicates} duplicates, ${problems.orderViolations} order violations, ` +
        `${stray} requests to disabled subscriptions; receivers: ${receiverFaults.badSignatures} bad signatures, ${receiverFaults.badHeaders} missing headers, ` +
        `${receiverFaults.idMismatches} webhook-id != activity id, ${receiverFaults.unreadable} unreadable bodies`,
    );
    console.log(lines.join('\n'));

    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      source: gitDescription(ROOT),
      settings: {
        users: USERS,
        backlog: BACKLOG,
        rates: RATES,
        lagS: LAG_S,
        subscriptions: SUBSCRIPTIONS,
        connections: CONNECTIONS,
        durationS: DURATION_S,
        pairs: PAIRS,
        drainS: DRAIN_S,
        seed: SEED,
        service: Object.fromEntries(
          ['EVENT_RELAY_POLL_MS', 'EVENT_RELAY_LEASE_MS', 'DATABASE_POOL_SIZE', 'WEBHOOK_RESPONSE_TIMEOUT_MS'].map((k) => [
            k,
            env[k] ?? null,
          ]),
        ),
      },
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryBytes: os.totalmem(),
        node: process.version,
        serviceNode,
        postgres: (await db.query('SHOW server_version')).rows[0].server_version,
      },
      backlog,
      lagPhases,
      throughput,
      rounds,
      receiverFaults,
    };
    const dir = path.join(ROOT, 'bench', 'results');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `events-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`raw numbers written to ${path.relative(ROOT, file)}`);
  } finally {
    eventLoop.disable();
    await db.end().catch(() => undefined);
    await Promise.all(receivers.map(closeReceiver));
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
