/* global fetch */
/**
 * Group membership reads at scale: a plain user read beside the two membership reads, in one run.
 *
 *   npm run bench:groups     (builds, then runs this file; see docs/groups.md, "Scale")
 *
 * Seeds (in SQL, straight into a dedicated database that is dropped and recreated) BENCH_USERS
 * users and BENCH_GROUPS environment-wide groups nested three deep: a tenth of the groups are tops,
 * three tenths hang under a top, the rest under one of those, so a top holds its own members and
 * those of three nested levels. Each user is a direct member of BENCH_GROUPS_PER_USER random groups.
 * Then, one request at a time against the service (a child process on a free port), rounds of:
 *   user       GET /users/{id}                                          a plain read
 *   page       GET /users?limit=100                                     a plain page of as many users as a members page
 *   members    GET /users?filter=memberOfGroups[id eq "<top>"]&limit=100 a group's members, nested ones included
 *   leaf       the same for a leaf group (no nested groups)
 *   groups     GET /users/{id}/memberOfGroups                           a user's groups, DIRECT and INDIRECT
 * interleaved (one of each per round, in turn), so noise on the machine hits all of them alike.
 * Prints medians and 95th percentiles in ms, and the plans (EXPLAIN ANALYZE) of the membership
 * queries; writes the whole result to bench/results/groups-<time>.json.
 *
 * Settings (environment variables, defaults in brackets):
 *   BENCH_ADMIN_URL         database to run CREATE/DROP DATABASE from [postgresql://postgres@127.0.0.1:5432/postgres]
 *   BENCH_DB                bench database, dropped and recreated [identity_bench_groups]
 *   BENCH_USERS             users [100000]
 *   BENCH_GROUPS            groups [1000]
 *   BENCH_GROUPS_PER_USER   direct memberships per user [3]
 *   BENCH_ROUNDS            measured rounds (one request of each kind per round) [400]
 *   BENCH_WARMUP            warm-up rounds [100]
 *   BENCH_SEED              seed of the random choices [1]
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  checkDatabaseName,
  fetchToken,
  freePort,
  gitDescription,
  HOST,
  int,
  log,
  median,
  mulberry32,
  pad,
  percentile,
  recreateDatabase,
  ROOT,
  runToEnd,
  startChild,
  stopAll,
  waitUntilUp,
  withDatabase,
} from './lib.mjs';

const env = process.env;
const ADMIN_URL = env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DB_NAME = checkDatabaseName(env.BENCH_DB ?? 'identity_bench_groups', 'BENCH_DB');
const DB_URL = withDatabase(ADMIN_URL, DB_NAME);
const USERS = int(env.BENCH_USERS, 100_000);
const GROUPS = int(env.BENCH_GROUPS, 1_000);
const GROUPS_PER_USER = int(env.BENCH_GROUPS_PER_USER, 3);
const ROUNDS = int(env.BENCH_ROUNDS, 400);
const WARMUP = int(env.BENCH_WARMUP, 100);
const SEED = int(env.BENCH_SEED, 1);
const ENCRYPTION_KEYS = randomBytes(32).toString('base64url');
const KINDS = ['user', 'page', 'members', 'leaf', 'groups'];

/** Users, three-level groups and memberships, all in SQL; returns the ids the requests pick from. */
async function seed(db, environmentId, populationId) {
  await db.query(
    `INSERT INTO "User" (id, "environmentId", "populationId", username, "usernameLower", email, "updatedAt")
     SELECT gen_random_uuid(), $1, $2, 'bench.member.' || g, 'bench.member.' || g, 'bench.member.' || g || '@example.com', now()
     FROM generate_series(1, $3) AS g`,
    [environmentId, populationId, USERS],
  );
  await db.query(
    `INSERT INTO "Group" (id, "environmentId", "scopeId", name, "updatedAt")
     SELECT gen_random_uuid(), $1, $1, 'bench group ' || lpad(g::text, 5, '0'), now() FROM generate_series(0, $2 - 1) AS g`,
    [environmentId, GROUPS],
  );
  const groups = (await db.query(`SELECT id FROM "Group" WHERE "environmentId" = $1 ORDER BY name`, [environmentId])).rows.map((r) => r.id);
  const tops = groups.slice(0, Math.ceil(GROUPS / 10));
  const middles = groups.slice(tops.length, tops.length + Math.ceil((GROUPS * 3) / 10));
  const leaves = groups.slice(tops.length + middles.length);
  const nestings = [...middles.map((id, i) => [id, tops[i % tops.length]]), ...leaves.map((id, i) => [id, middles[i % middles.length]])];
  await db.query(`INSERT INTO "GroupNesting" ("groupId", "parentId") SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [
    nestings.map((n) => n[0]),
    nestings.map((n) => n[1]),
  ]);
  const users = (await db.query(`SELECT id FROM "User" WHERE "environmentId" = $1 ORDER BY "usernameLower"`, [environmentId])).rows.map(
    (r) => r.id,
  );
  const random = mulberry32(SEED);
  const memberUsers = [];
  const memberGroups = [];
  for (const user of users) {
    const chosen = new Set();
    while (chosen.size < Math.min(GROUPS_PER_USER, groups.length)) chosen.add(groups[Math.floor(random() * groups.length)]);
    for (const group of chosen) {
      memberUsers.push(user);
      memberGroups.push(group);
    }
  }
  for (let i = 0; i < memberUsers.length; i += 50_000) {
    await db.query(`INSERT INTO "GroupMembership" ("groupId", "userId") SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [
      memberGroups.slice(i, i + 50_000),
      memberUsers.slice(i, i + 50_000),
    ]);
  }
  await db.query('VACUUM ANALYZE "User", "Group", "GroupMembership", "GroupNesting"');
  return { users, tops, leaves, memberships: memberUsers.length, nestings: nestings.length };
}

/** The plans of the statements the membership reads run (the same SQL, with the bench's values). */
async function plans(db, environmentId, top, user) {
  const closure = (
    await db.query(
      `WITH RECURSIVE down(root, id) AS (
         SELECT g.id, g.id FROM "Group" g WHERE g."environmentId" = $1 AND g.id = ANY($2::uuid[])
         UNION SELECT down.root, n."groupId" FROM "GroupNesting" n JOIN down ON n."parentId" = down.id)
       SELECT id FROM down`,
      [environmentId, [top]],
    )
  ).rows.map((r) => r.id);
  const explain = async (sql, params) =>
    (await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
  return {
    closureSize: closure.length,
    groupClosure: await explain(
      `WITH RECURSIVE down(root, id) AS (
         SELECT g.id, g.id FROM "Group" g WHERE g."environmentId" = $1 AND g.id = ANY($2::uuid[])
         UNION SELECT down.root, n."groupId" FROM "GroupNesting" n JOIN down ON n."parentId" = down.id)
       SELECT root::text, id::text FROM down`,
      [environmentId, [top]],
    ),
    // What Prisma sends for `groups: { some: { groupId: { in } } }` with the id order and page size of a user list.
    membersPage: await explain(
      `SELECT u.id FROM "User" u WHERE u."environmentId" = $1 AND u.id IN (
         SELECT t1."userId" FROM "GroupMembership" t1 WHERE t1."groupId" = ANY($2::uuid[]) AND t1."userId" IS NOT NULL)
       ORDER BY u.id ASC LIMIT 101`,
      [environmentId, closure],
    ),
    // The total of a list filtered on memberOfGroups alone, counted on the membership index.
    membersCount: await explain(`SELECT count(DISTINCT m."userId") AS total FROM "GroupMembership" m WHERE m."groupId" = ANY($1::uuid[])`, [
      closure,
    ]),
    groupsOfUser: await explain(
      `WITH RECURSIVE up(id, direct) AS (
         SELECT m."groupId", true FROM "GroupMembership" m WHERE m."userId" = $1
         UNION SELECT n."parentId", false FROM "GroupNesting" n JOIN up ON n."groupId" = up.id)
       SELECT id::text AS id, bool_or(direct) AS direct FROM up GROUP BY id`,
      [user],
    ),
  };
}

async function timed(url, token) {
  const start = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return { ms, body };
}

async function main() {
  const startedAt = new Date();
  log(`node ${process.version}; recreating database ${DB_NAME}`);
  await recreateDatabase(ADMIN_URL, DB_NAME);
  const port = await freePort();
  const service = startChild('service', ['dist/main.js'], {
    DATABASE_URL: DB_URL,
    ENCRYPTION_KEYS,
    PORT: String(port),
    HOST,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ON_EMPTY: 'false',
    PUBLIC_BASE_URL: `http://localhost:${port}`,
    TOKEN_AUDIENCE: '',
  });
  await waitUntilUp(service, `http://${HOST}:${port}/health`, 90_000);
  const boot = JSON.parse(
    await runToEnd(
      'bootstrap',
      ['dist/cli/main.js', 'bootstrap', '--json'],
      { DATABASE_URL: DB_URL, ENCRYPTION_KEYS, LOG_LEVEL: 'warn' },
      60_000,
    ),
  );
  const { environmentId, populationId } = boot;
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  try {
    log(`seeding ${USERS} users, ${GROUPS} groups nested three deep, ${GROUPS_PER_USER} memberships per user`);
    const seedStart = performance.now();
    const data = await seed(db, environmentId, populationId);
    log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s: ${data.memberships} memberships, ${data.nestings} nestings`);
    const token = await fetchToken(`http://${HOST}:${port}`, boot);
    const base = `http://${HOST}:${port}/v1/environments/${environmentId}`;
    const random = mulberry32(SEED + 1);
    const pick = (list) => list[Math.floor(random() * list.length)];
    // Brackets and quotes as tools send them; only the spaces are encoded.
    const membersUrl = (group) => `${base}/users?filter=memberOfGroups[id%20eq%20"${group}"]&limit=100`;
    const request = {
      user: () => `${base}/users/${pick(data.users)}`,
      page: () => `${base}/users?limit=100`,
      members: () => membersUrl(pick(data.tops)),
      leaf: () => membersUrl(pick(data.leaves)),
      groups: () => `${base}/users/${pick(data.users)}/memberOfGroups`,
    };
    const samples = Object.fromEntries(KINDS.map((k) => [k, []]));
    const sizes = Object.fromEntries(KINDS.map((k) => [k, []]));
    log(`${WARMUP} warm-up rounds, then ${ROUNDS} measured rounds of ${KINDS.join(', ')}`);
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (let i = 0; i < KINDS.length; i++) {
        const kind = KINDS[(round + i) % KINDS.length];
        const { ms, body } = await timed(request[kind](), token);
        if (round < WARMUP) continue;
        samples[kind].push(ms);
        sizes[kind].push(kind === 'user' ? 1 : kind === 'groups' || kind === 'page' ? body.size : body.count);
      }
    }
    const results = Object.fromEntries(
      KINDS.map((k) => {
        const sorted = [...samples[k]].sort((a, b) => a - b);
        return [k, { medianMs: median(sorted), p95Ms: percentile(sorted, 95), medianSize: median(sizes[k]) }];
      }),
    );
    const explained = await plans(db, environmentId, data.tops[0], data.users[0]);
    const report = {
      startedAt: startedAt.toISOString(),
      node: process.version,
      loadAverage: os.loadavg(),
      git: gitDescription(ROOT),
      settings: { USERS, GROUPS, GROUPS_PER_USER, ROUNDS, WARMUP, SEED },
      data: { memberships: data.memberships, nestings: data.nestings },
      results,
      plans: explained,
    };
    await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
    const file = path.join(ROOT, `bench/results/groups-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify(report, null, 2));
    const labels = {
      user: 'GET /users/{id}',
      page: 'GET /users?limit=100',
      members: 'GET /users?filter=memberOfGroups[id eq top]&limit=100',
      leaf: 'GET /users?filter=memberOfGroups[id eq leaf]&limit=100',
      groups: 'GET /users/{id}/memberOfGroups',
    };
    process.stdout.write(
      `\nload average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores\n`,
    );
    process.stdout.write(`\n${pad('request', 56)} ${pad('median ms', 10)} ${pad('p95 ms', 8)} ${pad('matches', 8)}\n`);
    for (const k of KINDS) {
      const r = results[k];
      process.stdout.write(
        `${pad(labels[k], 56)} ${pad(r.medianMs.toFixed(2), 10)} ${pad(r.p95Ms.toFixed(2), 8)} ${pad(r.medianSize, 8)}\n`,
      );
    }
    for (const [name, plan] of Object.entries(explained)) process.stdout.write(`\n-- ${name}\n${plan}\n`);
    process.stdout.write(`\nwritten to ${path.relative(ROOT, file)}\n`);
  } finally {
    await db.end();
    await stopAll();
  }
}

main().catch(async (error) => {
  log(error.stack ?? String(error));
  await stopAll();
  process.exit(1);
});
