import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { sendHalfARequest } from '../support/half-sent-request.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { createEnvironment, startApp, usesEmbeddedDatabase } from '../support/test-app.js';
import { answered, seedLockedUsers, type Target, tally, unlockRecords, unlockStorm, until } from '../support/unlock-storm.js';

/** How long the process says its shutdown took, from the signal to its last step. */
function shutdownMs(log: string): number {
  const line = log.split('\n').find((l) => l.includes('"msg":"shut down"'));
  if (!line) throw new Error(`no "shut down" line in the log:\n${log.slice(-3000)}`);
  return (JSON.parse(line) as { ms: number }).ms;
}

/** Process starts and storms on a 2-core machine shared with other work: more than Jest's 60 s. */
const SLOW = 180_000;

const describeOnPostgres = usesEmbeddedDatabase() ? describe.skip : describe;

/**
 * SIGTERM to the compiled service (docs/shutdown.md): the requests in flight finish, new ones get
 * 503 or find the port closed, nothing is cut that was being processed, and the process exits
 * within SHUTDOWN_DRAIN_MS whatever a client does.
 */
describeOnPostgres('graceful shutdown of a service process', () => {
  let database: OwnDatabase;
  let databaseUrl: string;
  let target: Target;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    const name = `identity_shutdown_${process.pid}`;
    database = await ownDatabase(name);
    const t = await startApp({}, database.open);
    const env = await createEnvironment(t);
    await t.close();
    target = { environmentId: env.environmentId, populationId: env.populationId, token: env.token };
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) {
      p.kill('SIGKILL');
      await p.exited;
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  const start = async (env: Record<string, string>) => {
    const p = await startServiceProcess(databaseUrl, { LOG_LEVEL: 'info', LOG_FORMAT: 'json', EVENT_RELAY: 'false', ...env });
    processes.push(p);
    return p;
  };

  it(
    'SIGTERM under unlock load with a half-sent request open: no 500, nothing processed is cut, each 200 is one unlock and one event, exit within the drain time',
    async () => {
      const drainMs = 6000;
      // The request timeout is far away: only the drain's deadline can end the half-sent request.
      const service = await start({ SHUTDOWN_DRAIN_MS: String(drainMs), REQUEST_TIMEOUT_MS: '60000' });
      const users = await seedLockedUsers(databaseUrl, target, 4000);
      let exited = false;
      void service.exited.then(() => (exited = true));

      const storm = unlockStorm({ baseUrls: [service.baseUrl], target, userIds: users, concurrency: 16, stop: () => exited });
      await until(() => answered(storm.outcomes, 200) >= 100, 30_000, '100 unlocks');
      const half = await sendHalfARequest(service.baseUrl);
      const signalledAt = Date.now();
      service.kill('SIGTERM');
      const code = await service.exited;
      const exitMs = Date.now() - signalledAt;
      const outcomes = await storm.done;
      const halfClosed = await half.closed;

      const log = service.output.join('');
      expect(code).toBe(0);
      // From its signal handler to its last line, the process took less than the drain time (the
      // deadline it controls); seen from here, add the delivery of the signal and of the exit to a
      // busy machine's event loops.
      expect(shutdownMs(log)).toBeLessThan(drainMs);
      expect(exitMs).toBeLessThan(drainMs + 1500);
      // The half-sent request was cut at the drain's deadline, before the exit.
      expect(halfClosed.at).toBeLessThanOrEqual(signalledAt + exitMs);
      expect(log).toMatch(/drain deadline reached: closed 1 unfinished requests/);

      const summary = tally(outcomes);
      const ok = outcomes.filter((o) => o.status === 200);
      expect(ok.length).toBeGreaterThanOrEqual(100);
      // Answers are 200, or 503 with Retry-After for what arrived during the drain; anything else is a failure.
      expect(outcomes.filter((o) => o.status !== undefined && o.status !== 200 && o.status !== 503)).toEqual([]);
      for (const o of outcomes.filter((x) => x.status === 503)) expect([o.retryAfter, o.code]).toEqual(['5', 'UNEXPECTED_ERROR']);

      const records = await unlockRecords(
        databaseUrl,
        outcomes.map((o) => o.userId),
      );
      // Every 200 is a state change with exactly one event.
      for (const o of ok) expect({ user: o.userId, ...records.get(o.userId) }).toEqual({ user: o.userId, unlocked: true, events: 1 });
      // What got no 200 was not done at all: a 503 of the drain, a refused or closed connection.
      const notOk = outcomes.filter((o) => o.status !== 200);
      for (const o of notOk) {
        expect({ user: o.userId, answer: o.status ?? o.error, ...records.get(o.userId) }).toEqual({
          user: o.userId,
          answer: o.status ?? o.error,
          unlocked: false,
          events: 0,
        });
      }
      expect(summary['200']).toBe(ok.length);
    },
    SLOW,
  );

  it(
    'a half-sent request is cut after REQUEST_TIMEOUT_MS, and alone does not keep a shutting-down process alive',
    async () => {
      const service = await start({ SHUTDOWN_DRAIN_MS: '20000', REQUEST_TIMEOUT_MS: '1500' });

      // While serving: Node answers 408 and closes the connection once the request timeout has passed.
      const first = await sendHalfARequest(service.baseUrl);
      const openedAt = Date.now();
      const cut = await first.closed;
      expect(cut.at - openedAt).toBeGreaterThanOrEqual(1400);
      expect(cut.at - openedAt).toBeLessThan(3500);
      expect(cut.received).toMatch(/HTTP\/1\.1 408/);
      expect((await fetch(`${service.baseUrl}/health/ready`)).status).toBe(200);

      // While draining: the same timeout ends it, long before the 20 s drain would.
      const second = await sendHalfARequest(service.baseUrl);
      const signalledAt = Date.now();
      service.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      const exitMs = Date.now() - signalledAt;
      // The drain's own deadline is 18 s away: only the request timeout can have ended it this soon.
      expect(shutdownMs(service.output.join(''))).toBeLessThan(5000);
      expect(exitMs).toBeLessThan(7000);
      expect(service.output.join('')).toMatch(/"cut":0,/);
      expect((await second.closed).at).toBeLessThanOrEqual(Date.now());
    },
    SLOW,
  );
});
