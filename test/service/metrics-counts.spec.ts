import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Metrics } from '../../src/common/metrics/metrics.js';
import { NO_RATE_LIMITS } from '../../src/config/app-config.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { PasswordsModule } from '../../src/passwords/passwords.module.js';
import { PasswordsService } from '../../src/passwords/passwords.service.js';
import { AccountService } from '../../src/users/account/account.service.js';
import { UsersService } from '../../src/users/users.service.js';
import { sample } from '../support/metrics.js';
import { GOOD_PASSWORD } from '../support/passwords.js';
import { serviceHarness, type ServiceHarness } from '../support/service-harness.js';

const MINUTE = 60_000;
const failed = (n: number) => ({ type: 'PASSWORD.CHECK_FAILED' as const, status: 'FAILED' as const, description: `${n}` });

/**
 * The lock, unlock and password-check counters count exactly what happened: once per event, by
 * cause, however many requests race, and only once the change committed.
 */
describe('metrics counted by the account state and the password checks', () => {
  let h: ServiceHarness;
  let environmentId: string;
  let account: AccountService;
  let passwords: PasswordsService;
  let metrics: Metrics;

  beforeAll(async () => {
    h = await serviceHarness(PasswordsModule);
    ({ environmentId } = await h.environment());
    account = h.get(AccountService);
    passwords = h.get(PasswordsService);
    metrics = h.get(Metrics);
  });
  afterAll(async () => h.close());

  /** The counters named by `series` (`name` and labels), read now. */
  const read = async (series: Array<[string, Record<string, string>]>) => {
    const text = await metrics.exposition();
    return series.map(([name, labels]) => sample(text, name, labels) ?? NaN);
  };
  /** How much each series moved while `work` ran. */
  const moved = async (series: Array<[string, Record<string, string>]>, work: () => Promise<unknown>) => {
    const before = await read(series);
    await work();
    const after = await read(series);
    return after.map((value, i) => value - (before[i] ?? NaN));
  };
  const locks = (cause: string): [string, Record<string, string>] => ['identity_account_locks_total', { cause }];
  const unlocks = (cause: string): [string, Record<string, string>] => ['identity_account_unlocks_total', { cause }];
  const checks = (outcome: string): [string, Record<string, string>] => ['identity_password_checks_total', { outcome }];
  const eventTypes = async (userId: string) => (await h.get(OutboxRepository).listForEnvironment(environmentId, userId)).map((e) => e.type);

  it('counts one admin lock and one admin unlock when twenty unlocks race, as many as the events', async () => {
    const user = await h.user(environmentId);
    const deltas = await moved([locks('admin'), unlocks('admin')], async () => {
      await account.lock(environmentId, user.id, undefined, h.context);
      await Promise.all(Array.from({ length: 20 }, () => account.unlock(environmentId, user.id, h.context)));
    });
    expect(deltas).toEqual([1, 1]);
    expect(await eventTypes(user.id)).toEqual(['USER.CREATED', 'USER.LOCKED', 'USER.UNLOCKED']);
  });

  it('counts the password lockout once when twenty failures race for a limit of five, and its unlock by password.unlock', async () => {
    const user = await h.user(environmentId);
    const lockout = { failureCount: 5, durationSeconds: 600 };
    const [lockouts] = await moved([locks('password')], () =>
      Promise.all(Array.from({ length: 20 }, () => account.countPasswordFailure(user, lockout, h.context, failed))),
    );
    expect(lockouts).toBe(1);
    const [passwordUnlocks] = await moved([unlocks('password')], () => passwords.unlock(environmentId, user.id, h.context));
    expect(passwordUnlocks).toBe(1);
    expect((await eventTypes(user.id)).filter((t) => t.startsWith('USER.'))).toEqual(['USER.CREATED', 'USER.LOCKED', 'USER.UNLOCKED']);
  });

  it('counts the MFA lockout and the release of an expired lock by their causes', async () => {
    const user = await h.user(environmentId);
    const lockout = { failureCount: 3, durationSeconds: 60 };
    const otpFailed = () => ({ type: 'OTP.CHECK_FAILED' as const, status: 'FAILED' as const, description: 'wrong code' });
    const [mfaLockouts] = await moved([locks('mfa')], async () => {
      for (let i = 0; i < 5; i++) await account.countMfaFailure(environmentId, user.id, lockout, h.context, otpFailed);
    });
    expect(mfaLockouts).toBe(1);
    const [expired] = await moved([unlocks('expired')], () =>
      account.releaseIfExpired(environmentId, user.id, 'MFA', new Date(Date.now() + 10 * MINUTE), 'metrics-test'),
    );
    expect(expired).toBe(1);
  });

  it('counts nothing for a lockout whose transaction rolls back', async () => {
    const user = await h.user(environmentId);
    const lockout = { failureCount: 1, durationSeconds: 600 };
    const [lockouts] = await moved([locks('password')], () =>
      h
        .get(TransactionHost)
        .run(async () => {
          await account.countPasswordFailure(user, lockout, h.context, failed);
          throw new Error('rolled back');
        })
        .catch(() => undefined),
    );
    expect(lockouts).toBe(0);
    expect(await eventTypes(user.id)).toEqual(['USER.CREATED']);
  });

  it('counts each password check by its outcome', async () => {
    const user = await h.user(environmentId);
    const series = [
      checks('success'),
      checks('failure'),
      checks('password_locked'),
      checks('account_locked'),
      checks('disabled'),
      checks('no_password'),
    ];
    const attempt = (password: string) => passwords.check(environmentId, user.id, password, h.context).catch(() => undefined);
    expect(await moved(series, () => attempt('whatever'))).toEqual([0, 0, 0, 0, 0, 1]);
    await passwords.set(environmentId, user.id, GOOD_PASSWORD, false, h.context);
    expect(await moved(series, () => attempt(GOOD_PASSWORD))).toEqual([1, 0, 0, 0, 0, 0]);
    const users = h.get(UsersService);
    await users.setEnabled(environmentId, user.id, false, h.context);
    expect(await moved(series, () => attempt(GOOD_PASSWORD))).toEqual([0, 0, 0, 0, 1, 0]);
    await users.setEnabled(environmentId, user.id, true, h.context);
    // The default policy locks at the fifth failure; the sixth check is refused uncounted.
    expect(
      await moved(series, async () => {
        for (let i = 0; i < 6; i++) await attempt('Wrong-Horse-1-Battery');
      }),
    ).toEqual([0, 5, 1, 0, 0, 0]);
    await passwords.unlock(environmentId, user.id, h.context);
    await account.lock(environmentId, user.id, undefined, h.context);
    expect(await moved(series, () => attempt(GOOD_PASSWORD))).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it('counts a check refused by a rate limit under the limit that refused it, and not as a check', async () => {
    const limited = await serviceHarness(PasswordsModule, {
      rateLimits: { ...NO_RATE_LIMITS, passwordPerUser: { attempts: 2, windowSeconds: 60 } },
    });
    try {
      const user = await limited.user(environmentId);
      const counted = limited.get(Metrics);
      const read = async (series: Array<[string, Record<string, string>]>) => {
        const text = await counted.exposition();
        return series.map(([name, labels]) => sample(text, name, labels) ?? 0);
      };
      const attempt = () =>
        limited
          .get(PasswordsService)
          .check(environmentId, user.id, 'Wrong-Horse-1-Battery', limited.context)
          .catch(() => undefined);
      await attempt();
      await attempt();
      const series: Array<[string, Record<string, string>]> = [
        ['identity_rate_limit_refusals_total', { scope: 'password_user' }],
        ['identity_rate_limit_refusals_total', { scope: 'password_address' }],
        checks('failure'),
      ];
      const before = await read(series);
      await attempt();
      const after = await read(series);
      expect(after.map((value, i) => value - (before[i] ?? 0))).toEqual([1, 0, 0]);
    } finally {
      await limited.close();
    }
  });
});
