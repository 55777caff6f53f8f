import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { MediaTypes } from '../../src/common/http/media-types.js';

/** What one unlock request got: a response, or the error of its connection. */
export interface Outcome {
  userId: string;
  /** Index of the instance (base URL) it was sent to. */
  instance: number;
  sentAt: number;
  status?: number;
  retryAfter?: string;
  /** `code` of the error body, when there was one. */
  code?: string;
  body?: string;
  /** `ECONNREFUSED`, `ECONNRESET`, ... when no response came. */
  error?: string;
}

export interface Target {
  environmentId: string;
  populationId: string;
  token: string;
}

/** Inserts `count` users locked by an administrator (no expiry), straight into the database. */
export async function seedLockedUsers(databaseUrl: string, target: Target, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await withClient(databaseUrl, (db) =>
    db.query(
      `INSERT INTO "User" (id, "environmentId", "populationId", username, "usernameLower", "accountStatus", "lockReason", "lockedAt")
       SELECT id, $2, $3, 'storm-' || id, 'storm-' || id, 'LOCKED', 'ADMIN', now() FROM unnest($1::uuid[]) AS id`,
      [ids, target.environmentId, target.populationId],
    ),
  );
  return ids;
}

/** One unlock, on a keep-alive agent: resolves with its outcome, never rejects. */
export function unlock(agent: http.Agent, baseUrl: string, target: Target, userId: string, instance: number): Promise<Outcome> {
  const sentAt = Date.now();
  return new Promise((resolve) => {
    const request = http.request(
      `${baseUrl}/v1/environments/${target.environmentId}/users/${userId}`,
      {
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: { authorization: `Bearer ${target.token}`, 'content-type': MediaTypes.ACCOUNT_UNLOCK, 'content-length': 0 },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error: NodeJS.ErrnoException) => resolve({ userId, instance, sentAt, error: error.code ?? error.message }));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          let code: string | undefined;
          try {
            code = (JSON.parse(body) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          const retryAfter = response.headers['retry-after'];
          resolve({
            userId,
            instance,
            sentAt,
            status: response.statusCode,
            retryAfter,
            code,
            body: response.statusCode === 200 ? undefined : body,
          });
        });
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ userId, instance, sentAt, error: error.code ?? error.message }));
    request.end();
  });
}

/**
 * Unlocks `userIds` one each (`outcomes` fills as answers come), `concurrency` at a time, spread over `baseUrls`, until every user was
 * tried or `stop` says so. After a failure a worker pauses a little, so an instance that refuses
 * everything does not use up the users in a moment.
 */
export function unlockStorm(options: {
  baseUrls: string[];
  target: Target;
  userIds: string[];
  concurrency: number;
  stop?: () => boolean;
  pauseAfterFailureMs?: number;
}): { outcomes: Outcome[]; done: Promise<Outcome[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (w: number) => {
    while (next < options.userIds.length && !options.stop?.()) {
      const i = next++;
      const instance = (i + w) % options.baseUrls.length;
      const outcome = await unlock(agent, options.baseUrls[instance], options.target, options.userIds[i], instance);
      outcomes.push(outcome);
      if (outcome.status !== 200) await sleep(options.pauseAfterFailureMs ?? 20);
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w))).then(() => {
    agent.destroy();
    return outcomes;
  });
  return { outcomes, done };
}

/** Resolves once `condition` holds, checking every 10 ms; rejects after `ms`. */
export async function until(condition: () => boolean, ms = 30_000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const answered = (outcomes: Outcome[], status: number): number => outcomes.filter((o) => o.status === status).length;

/** Each tried user's state and number of USER.UNLOCKED events, read from the database. */
export async function unlockRecords(databaseUrl: string, userIds: string[]): Promise<Map<string, { unlocked: boolean; events: number }>> {
  return withClient(databaseUrl, async (db) => {
    const users = await db.query<{ id: string; accountStatus: string }>(
      `SELECT id, "accountStatus" FROM "User" WHERE id = ANY($1::uuid[])`,
      [userIds],
    );
    const events = await db.query<{ resourceId: string; n: string }>(
      `SELECT "resourceId", count(*) AS n FROM "OutboxEvent" WHERE type = 'USER.UNLOCKED' AND "resourceId" = ANY($1::uuid[]) GROUP BY 1`,
      [userIds],
    );
    const counts = new Map(events.rows.map((r) => [r.resourceId, Number(r.n)]));
    return new Map(users.rows.map((u) => [u.id, { unlocked: u.accountStatus === 'OK', events: counts.get(u.id) ?? 0 }]));
  });
}

/** Outcomes grouped for a failing test's message: status or error, and how many. */
export function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status !== undefined ? String(o.status) : (o.error as string);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export async function withClient<T>(databaseUrl: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}
