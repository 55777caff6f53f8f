import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../src/config/app-config.js';
import type { AccountService, SweepResult } from '../../src/users/account/account.service.js';
import { automaticUnlockDescription } from '../../src/users/account/account.service.js';
import { LockExpirySweeper } from '../../src/lockout/lock-expiry.sweeper.js';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await delay(5);
  }
}

/** A stand-in for the database work: each call takes `ms` and answers from `results` (then 0). */
function fakeExpiry(results: Array<number | Error> = [], ms = 0) {
  const state = { calls: 0, running: 0, maxRunning: 0, nows: [] as Date[] };
  const service = {
    async sweep(now: Date): Promise<SweepResult> {
      state.nows.push(now);
      state.calls++;
      state.running++;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      try {
        await delay(ms);
        const result = results.shift() ?? 0;
        if (result instanceof Error) throw result;
        return { unlocked: result, correlationId: 'c' };
      } finally {
        state.running--;
      }
    },
  };
  return { state, service: service as unknown as AccountService };
}

describe('LockExpirySweeper, the loop', () => {
  const errors: string[] = [];
  let sweeper: LockExpirySweeper | undefined;

  beforeAll(() => {
    Logger.overrideLogger({ log: () => undefined, warn: () => undefined, error: (message: unknown) => void errors.push(String(message)) });
  });
  afterAll(() => Logger.overrideLogger(false));
  afterEach(async () => {
    await sweeper?.onModuleDestroy();
    sweeper = undefined;
    errors.length = 0;
  });

  const start = (expiry: AccountService, lockSweepIntervalMs: number, lockSweepBatchSize = 100) => {
    sweeper = new LockExpirySweeper(expiry, { ...loadConfig({}), lockSweepIntervalMs, lockSweepBatchSize });
    sweeper.onApplicationBootstrap();
    return sweeper;
  };

  it('does not run when the interval is 0', async () => {
    const { state, service } = fakeExpiry();
    start(service, 0);
    await delay(50);
    expect(state.calls).toBe(0);
  });

  it('sweeps every interval and never overlaps a slow sweep', async () => {
    const { state, service } = fakeExpiry([], 30);
    start(service, 5);
    await until(() => state.calls >= 4);
    expect(state.maxRunning).toBe(1);
  });

  it('logs a failed sweep and tries again on the next tick', async () => {
    const { state, service } = fakeExpiry([new Error('database unreachable'), new Error('database unreachable'), 1]);
    start(service, 5);
    await until(() => state.calls >= 4);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/lock sweep failed.*database unreachable/);
  });

  it('takes the next batch at once while batches come back full, then waits an interval', async () => {
    const { state, service } = fakeExpiry([10, 10, 10, 3]);
    start(service, 300, 10);
    await until(() => state.calls >= 5);
    const [first = 0, , , fourth = 0, fifth = 0] = state.nows.map((now) => now.getTime());
    expect(fourth - first).toBeLessThan(150);
    expect(fifth - fourth).toBeGreaterThanOrEqual(290);
  });

  it('stops on shutdown, after the sweep in flight has finished', async () => {
    const { state, service } = fakeExpiry([], 80);
    start(service, 1);
    await until(() => state.running === 1);
    await sweeper?.onModuleDestroy();
    expect(state.running).toBe(0);
    const calls = state.calls;
    await delay(30);
    expect(state.calls).toBe(calls);
  });

  it('sweepOnce passes its clock through and answers the number unlocked', async () => {
    const { state, service } = fakeExpiry([7]);
    const now = new Date('2030-01-01T00:00:00Z');
    await expect(start(service, 0).sweepOnce(now)).resolves.toBe(7);
    expect(state.nows).toEqual([now]);
  });
});

describe('automaticUnlockDescription', () => {
  const unlockAt = new Date('2030-05-06T07:08:09.010Z');
  it.each([
    ['PASSWORD', 'Account unlocked automatically: the password lockout expired at 2030-05-06T07:08:09.010Z'],
    ['MFA', 'Account unlocked automatically: the MFA lockout expired at 2030-05-06T07:08:09.010Z'],
    ['ADMIN', "Account unlocked automatically: the administrator's lock expired at 2030-05-06T07:08:09.010Z"],
    [null, 'Account unlocked automatically: the lock expired at 2030-05-06T07:08:09.010Z'],
  ] as const)('names a %s lock', (reason, description) => {
    expect(automaticUnlockDescription({ reason, unlockAt })).toBe(description);
  });
});
