import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openPostgres } from '../../src/database/database.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { createEnvironment, startApp } from '../support/test-app.js';
import {
  answered,
  type Outcome,
  seedLockedUsers,
  type Target,
  tally,
  unlockRecords,
  unlockStorm,
  until,
  withClient,
} from '../support/unlock-storm.js';

/** Process starts and storms on a 2-core machine shared with other work: more than Jest's 60 s. */
const SLOW = 180_000;

/**
 * Faults under an unlock storm, against a Postgres this suite starts itself (private, in a
 * temporary directory: the shared server must not be restarted) and the compiled service as
 * separate processes. The invariant: every 200 is one unlock with exactly one USER.UNLOCKED event
 * in the outbox, no user is unlocked without its event, and nothing answers 500.
 */
describe('faults under an unlock storm', () => {
  let postgres: PrivatePostgres;
  let databaseUrl: string;
  let target: Target;
  /** Started once, side by side: the restart test runs on `survivor`, the kill test on both. */
  let victim: ServiceProcess;
  let survivor: ServiceProcess;
  let survivorExited = false;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    await withClient(postgres.url(), (db) => db.query('CREATE DATABASE identity'));
    databaseUrl = postgres.url('identity');
    const t = await startApp({}, async () => {
      const database = openPostgres(databaseUrl, 2);
      await database.migrate();
      return database;
    });
    const env = await createEnvironment(t);
    await t.close();
    target = { environmentId: env.environmentId, populationId: env.populationId, token: env.token };
    [victim, survivor] = await Promise.all([0, 1].map(() => startServiceProcess(databaseUrl, { DATABASE_POOL_SIZE: '8' })));
    void survivor.exited.then(() => (survivorExited = true));
  }, SLOW);
  afterAll(async () => {
    for (const p of [victim, survivor].filter((x) => x !== undefined)) {
      p.kill('SIGKILL');
      await p.exited;
    }
    await postgres?.destroy();
  });

  const ready = async (p: ServiceProcess) =>
    fetch(`${p.baseUrl}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );

  /** Every 200 unlocked its user with one event; every user tried is unlocked exactly when it has one event. */
  async function expectConsistent(outcomes: Outcome[]): Promise<void> {
    const records = await unlockRecords(
      databaseUrl,
      outcomes.map((o) => o.userId),
    );
    for (const o of outcomes.filter((x) => x.status === 200)) {
      expect({ user: o.userId, ...records.get(o.userId) }).toEqual({ user: o.userId, unlocked: true, events: 1 });
    }
    for (const [user, { unlocked, events }] of records) expect({ user, events }).toEqual({ user, events: unlocked ? 1 : 0 });
  }

  /** No answer but 200 and 503-with-Retry-After (a 500 shows with its body, for the log). */
  function expectOnly200And503(outcomes: Outcome[]): void {
    const other = outcomes.filter((o) => o.status !== undefined && o.status !== 200 && o.status !== 503);
    expect(other.map((o) => `${o.status} ${o.body}`)).toEqual([]);
    for (const o of outcomes.filter((x) => x.status === 503)) expect(o.retryAfter).toBeDefined();
  }

  it(
    'Postgres restarted under load: 200 or 503 with Retry-After, never 500 nor a reset; consistent; the service recovers by itself',
    async () => {
      const service = survivor;
      const users = await seedLockedUsers(databaseUrl, target, 10_000);
      let stop = false;
      const storm = unlockStorm({
        baseUrls: [service.baseUrl],
        target,
        userIds: users,
        concurrency: 8,
        stop: () => stop,
        pauseAfterFailureMs: 50,
      });
      await until(() => answered(storm.outcomes, 200) >= 100, 30_000, '100 unlocks before the restart');

      await postgres.stopServer();
      const downAt = Date.now();
      await until(() => storm.outcomes.some((o) => o.sentAt > downAt && o.status !== 200), 10_000, 'a refusal while Postgres is down');
      expect(await ready(service)).toBe(503);
      await postgres.startServer();
      const upAt = Date.now();
      await until(
        () => storm.outcomes.filter((o) => o.sentAt > upAt && o.status === 200).length >= 50,
        30_000,
        '50 unlocks after the restart',
      );
      stop = true;
      const outcomes = await storm.done;

      // No connection was reset or refused: every request got an answer.
      expect(outcomes.filter((o) => o.error !== undefined).map((o) => o.error)).toEqual([]);
      await expectConsistent(outcomes);
      // Recovered without a restart: the same process answers, and is ready again.
      expect(await ready(service)).toBe(200);
      expect(survivorExited).toBe(false);
      // The requests that met the restart were refused with 503 and Retry-After, none with 500.
      expect(tally(outcomes)['503']).toBeGreaterThan(0);
      expectOnly200And503(outcomes);
    },
    SLOW,
  );

  it(
    'kill -9 of one of two instances mid-storm: every 200 of either is one unlock and one event; the survivor keeps serving',
    async () => {
      const users = await seedLockedUsers(databaseUrl, target, 10_000);
      let stop = false;
      const storm = unlockStorm({
        baseUrls: [victim.baseUrl, survivor.baseUrl],
        target,
        userIds: users,
        concurrency: 16,
        stop: () => stop,
      });
      await until(() => answered(storm.outcomes, 200) >= 100, 30_000, '100 unlocks before the kill');
      victim.kill('SIGKILL');
      await victim.exited;
      const killedAt = Date.now();
      await until(
        () => storm.outcomes.filter((o) => o.instance === 1 && o.sentAt > killedAt && o.status === 200).length >= 50,
        30_000,
        '50 unlocks by the survivor after the kill',
      );
      stop = true;
      const outcomes = await storm.done;

      expectOnly200And503(outcomes);
      // The victim's requests ended with it (refused or reset connections); the survivor answered all of its own.
      expect(outcomes.filter((o) => o.instance === 1).map((o) => o.status ?? o.error)).toEqual(
        outcomes.filter((o) => o.instance === 1).map(() => 200),
      );
      expect(outcomes.filter((o) => o.instance === 0 && o.status === 200).length).toBeGreaterThan(0);
      await expectConsistent(outcomes);
      expect(await ready(survivor)).toBe(200);
    },
    SLOW,
  );
});
