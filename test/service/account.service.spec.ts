import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { OutboxWriter } from '../../src/events/outbox.writer.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { PasswordsModule } from '../../src/passwords/passwords.module.js';
import { PasswordsRepository } from '../../src/passwords/passwords.repository.js';
import { AccountRepository } from '../../src/users/account/account.repository.js';
import { AccountService } from '../../src/users/account/account.service.js';
import { isLocked, isPasswordLocked } from '../../src/users/account/lock-state.js';
import {
  accountLocked,
  accountLockExpired,
  accountLockHolds,
  accountNotLocked,
  passwordLockExpired,
  passwordLockHolds,
} from '../../src/users/account/lock.query.js';
import { UsersModule } from '../../src/users/users.module.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { serviceHarness, type ServiceHarness } from '../support/service-harness.js';

const MINUTE = 60_000;

describe('the account state, through AccountService on the real database', () => {
  let h: ServiceHarness;
  let environmentId: string;
  let account: AccountService;
  let accounts: AccountRepository;
  let transactions: TransactionHost;

  beforeAll(async () => {
    h = await serviceHarness(UsersModule);
    ({ environmentId } = await h.environment());
    account = h.get(AccountService);
    accounts = h.get(AccountRepository);
    transactions = h.get(TransactionHost);
  });
  afterAll(async () => h.close());

  const stored = (id: string) =>
    transactions.tx.user.findUniqueOrThrow({
      where: { id },
      select: {
        accountStatus: true,
        lockReason: true,
        unlockAt: true,
        passwordFailureCount: true,
        passwordLockedAt: true,
        mfaFailureCount: true,
        updatedAt: true,
      },
    });
  const events = async (userId: string) =>
    (await h.get(OutboxRepository).listForEnvironment(environmentId, userId)).map((e) => e.payload.action.type);
  const setState = (id: string, data: Prisma.UserUncheckedUpdateInput) => transactions.tx.user.update({ where: { id }, data });

  describe('one rule for "a lock holds at t", in TypeScript, SQL and Prisma', () => {
    const now = new Date('2030-06-01T12:00:00.000Z');
    const ends: Array<[string, Date | null]> = [
      ['no end', null],
      ['ended a minute ago', new Date(now.getTime() - MINUTE)],
      ['ends exactly now', now],
      ['ends in a millisecond', new Date(now.getTime() + 1)],
    ];

    it('agrees on the account lock for every status and end', async () => {
      const cases: Array<{ id: string; status: 'OK' | 'LOCKED'; unlockAt: Date | null }> = [];
      for (const status of ['OK', 'LOCKED'] as const) {
        for (const [, unlockAt] of ends) {
          const { id } = await h.user(environmentId);
          await setState(id, { accountStatus: status, lockReason: status === 'LOCKED' ? 'ADMIN' : null, unlockAt });
          cases.push({ id, status, unlockAt });
        }
      }
      const ids = cases.map((c) => c.id);
      const sqlHolds = await transactions.tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "User" WHERE id = ANY(${ids}::uuid[]) AND ${accountLockHolds(now)}`;
      const sqlExpired = await transactions.tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "User" WHERE id = ANY(${ids}::uuid[]) AND ${accountLockExpired(now)}`;
      const prismaHolds = await transactions.tx.user.findMany({ where: { id: { in: ids }, ...accountLocked(now) }, select: { id: true } });
      const prismaFree = await transactions.tx.user.findMany({
        where: { id: { in: ids }, ...accountNotLocked(now) },
        select: { id: true },
      });

      const holding = cases.filter((c) => isLocked({ status: c.status, reason: null, lockedAt: null, unlockAt: c.unlockAt }, now));
      const expected = holding.map((c) => c.id).sort();
      expect(expected).toHaveLength(2); // locked with no end, or ending after now
      expect(sqlHolds.map((r) => r.id).sort()).toEqual(expected);
      expect(prismaHolds.map((r) => r.id).sort()).toEqual(expected);
      expect(prismaFree.map((r) => r.id).sort()).toEqual(ids.filter((id) => !expected.includes(id)).sort());
      const lockedButOver = cases.filter((c) => c.status === 'LOCKED' && c.unlockAt !== null && !expected.includes(c.id));
      expect(sqlExpired.map((r) => r.id).sort()).toEqual(lockedButOver.map((c) => c.id).sort());
    });

    it('agrees on the password lock for every state and end', async () => {
      const cases: Array<{ id: string; lockedAt: Date | null; unlockAt: Date | null }> = [];
      for (const lockedAt of [null, new Date(now.getTime() - 10 * MINUTE)]) {
        for (const [, unlockAt] of ends) {
          const { id } = await h.user(environmentId);
          await setState(id, { passwordLockedAt: lockedAt, passwordUnlockAt: unlockAt });
          cases.push({ id, lockedAt, unlockAt });
        }
      }
      const ids = cases.map((c) => c.id);
      const sqlHolds = await transactions.tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "User" WHERE id = ANY(${ids}::uuid[]) AND ${passwordLockHolds(now)}`;
      const sqlExpired = await transactions.tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "User" WHERE id = ANY(${ids}::uuid[]) AND ${passwordLockExpired(now)}`;
      const holds = cases.filter((c) =>
        isPasswordLocked({ password: { status: 'OK', changedAt: null, lockedAt: c.lockedAt, unlockAt: c.unlockAt } }, now),
      );
      expect(holds).toHaveLength(2);
      expect(sqlHolds.map((r) => r.id).sort()).toEqual(holds.map((c) => c.id).sort());
      const over = cases.filter((c) => c.lockedAt !== null && c.unlockAt !== null && !holds.includes(c));
      expect(sqlExpired.map((r) => r.id).sort()).toEqual(over.map((c) => c.id).sort());
    });
  });

  describe('when updatedAt moves', () => {
    const updatedAt = async (id: string) => (await stored(id)).updatedAt.getTime();
    const lockout = { failureCount: 2, durationSeconds: 60 };
    const failed = (n: number) => ({ type: 'PASSWORD.CHECK_FAILED' as const, status: 'FAILED' as const, description: `failure ${n}` });

    it('moves when a lock is placed or lifted, never for a counter alone', async () => {
      const user = await h.user(environmentId);
      let last = await updatedAt(user.id);
      const moved = async () => {
        const now = await updatedAt(user.id);
        const result = now > last;
        last = now;
        return result;
      };

      await account.countPasswordFailure(user, lockout, h.context, failed);
      expect(await moved()).toBe(false); // 1 of 2: a counter
      await account.countPasswordFailure(user, lockout, h.context, failed);
      expect(await moved()).toBe(true); // 2 of 2: locked
      await account.unlock(environmentId, user.id, h.context);
      expect(await moved()).toBe(true);
      await account.countPasswordFailure(user, lockout, h.context, failed);
      await account.clearPasswordFailures(user, h.context, { type: 'PASSWORD.CHECK_SUCCEEDED', description: 'ok' });
      expect(await moved()).toBe(false);
      await account.countMfaFailure(environmentId, user.id, lockout, h.context, () => ({ type: 'OTP.CHECK_FAILED', description: 'x' }));
      await account.clearMfaFailures(environmentId, user.id, h.context, { type: 'OTP.CHECK_SUCCESS', description: 'ok' });
      expect(await moved()).toBe(false);
      await account.countMfaFailure(environmentId, user.id, { failureCount: 1, durationSeconds: 60 }, h.context, () => ({
        type: 'OTP.CHECK_FAILED',
        description: 'x',
      }));
      expect(await moved()).toBe(true); // the MFA lockout locked
      await account.unlock(environmentId, user.id, h.context);
      expect(await moved()).toBe(true);
      await account.lock(environmentId, user.id, new Date(Date.now() + MINUTE), h.context);
      expect(await moved()).toBe(true);
      // Scoped to this user: a sweep of the shared test database would end other suites' locks.
      expect(await account.releaseIfExpired(environmentId, user.id, 'ADMIN', new Date(Date.now() + 2 * MINUTE), 'expiry')).toBe(true);
      expect(await moved()).toBe(true); // the expiry persisted
    });
  });

  it('records the cause, then USER.LOCKED, when a burst of 20 failures meets a limit of 5: five counted, one locks', async () => {
    const user = await h.user(environmentId);
    const lockout = { failureCount: 5, durationSeconds: 600 };
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        account.countPasswordFailure(user, lockout, h.context, (n) => ({
          type: 'PASSWORD.CHECK_FAILED',
          status: 'FAILED',
          description: `${n}`,
        })),
      ),
    );
    expect(
      results
        .filter((r) => r.counted)
        .map((r) => r.failureCount)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5]);
    expect(results.filter((r) => r.lockedNow)).toHaveLength(1);
    expect(await events(user.id)).toEqual(['USER.CREATED', ...Array<string>(5).fill('PASSWORD.CHECK_FAILED'), 'USER.LOCKED']);
    expect(await stored(user.id)).toMatchObject({ accountStatus: 'LOCKED', lockReason: 'PASSWORD', passwordFailureCount: 5 });
  });

  it('unlocks a lock once however many administrators race, with one USER.UNLOCKED', async () => {
    const user = await h.user(environmentId);
    await account.lock(environmentId, user.id, undefined, h.context);
    const unlocked = await Promise.all(Array.from({ length: 20 }, () => account.unlock(environmentId, user.id, h.context)));
    expect(unlocked.every((u) => u.lock.status === 'OK')).toBe(true);
    expect(await events(user.id)).toEqual(['USER.CREATED', 'USER.LOCKED', 'USER.UNLOCKED']);
  });

  it('writes, in the one statement of the unlock and of the lock, exactly the activity the outbox writer would', async () => {
    const user = await h.user(environmentId);
    await account.lock(environmentId, user.id, undefined, h.context);
    await account.unlock(environmentId, user.id, h.context);
    const stored = (await h.get(OutboxRepository).listForEnvironment(environmentId, user.id)).filter((e) => e.type !== 'USER.CREATED');
    expect(stored.map((e) => e.type)).toEqual(['USER.LOCKED', 'USER.UNLOCKED']);

    const writer = h.get(OutboxWriter);
    const rollback = new Error('rollback');
    const viaWriter = async (type: 'USER.LOCKED' | 'USER.UNLOCKED', description: string) => {
      let activity: unknown;
      await transactions
        .run(async () => {
          activity = await writer.record({ type, subject: user, context: h.context, description });
          throw rollback;
        })
        .catch((error: unknown) => {
          if (error !== rollback) throw error;
        });
      return activity;
    };
    const comparable = (activity: any) => ({ ...activity, id: undefined, recordedAt: undefined, createdAt: undefined });
    expect(comparable(stored[0]?.payload)).toEqual(
      comparable(await viaWriter('USER.LOCKED', 'Account locked by an administrator until an administrator unlocks it')),
    );
    expect(comparable(stored[1]?.payload)).toEqual(comparable(await viaWriter('USER.UNLOCKED', 'Account unlocked by an administrator')));
    expect(stored[1]?.payload.createdAt).toBe(stored[1]?.payload.recordedAt);
    const row = await transactions.tx.outboxEvent.findUniqueOrThrow({ where: { id: stored[1]?.id } });
    expect(row).toMatchObject({
      resourceId: user.id,
      populationId: user.populationId,
      correlationId: h.context.correlationId,
      resultStatus: 'SUCCESS',
    });
  });

  it('clears a password lock, and the account lock it placed, with the cause first', async () => {
    const user = await h.user(environmentId);
    const lockout = { failureCount: 1, durationSeconds: 600 };
    await account.countPasswordFailure(user, lockout, h.context, () => ({ type: 'PASSWORD.CHECK_FAILED', description: 'x' }));
    const current = (await h.get(UsersRepository).findById(environmentId, user.id))!;
    const cleared = await transactions.run(() =>
      account.clearPasswordLock(current, h.context, { type: 'PASSWORD.UNLOCKED', description: 'x', accountUnlocked: 'y' }),
    );
    expect(cleared.lock.status).toBe('OK');
    expect(await stored(user.id)).toMatchObject({ accountStatus: 'OK', passwordFailureCount: 0, passwordLockedAt: null });
    expect((await events(user.id)).slice(-2)).toEqual(['PASSWORD.UNLOCKED', 'USER.UNLOCKED']);
  });

  it('leaves an administrator lock in place when it clears a password lock', async () => {
    const user = await h.user(environmentId);
    await account.lock(environmentId, user.id, undefined, h.context);
    await setState(user.id, { passwordLockedAt: new Date(), passwordUnlockAt: null, passwordFailureCount: 3 });
    const current = (await h.get(UsersRepository).findById(environmentId, user.id))!;
    await account.clearPasswordLock(current, h.context, { type: 'PASSWORD.UNLOCKED', description: 'x', accountUnlocked: 'y' });
    expect(await stored(user.id)).toMatchObject({ accountStatus: 'LOCKED', lockReason: 'ADMIN', passwordLockedAt: null });
    expect((await events(user.id)).at(-1)).toBe('PASSWORD.UNLOCKED');
  });

  it('does not touch a user of another environment', async () => {
    const user = await h.user(environmentId);
    const other = await h.environment();
    await expect(account.lock(other.environmentId, user.id, undefined, h.context)).rejects.toThrow('user not found');
    expect(await accounts.recordMfaFailure(other.environmentId, user.id, 1, new Date(), new Date())).toBeNull();
    expect((await stored(user.id)).accountStatus).toBe('OK');
  });
});

describe('password hashes, through the passwords module on the real database', () => {
  let h: ServiceHarness;
  let environmentId: string;

  beforeAll(async () => {
    h = await serviceHarness(PasswordsModule);
    ({ environmentId } = await h.environment());
  });
  afterAll(async () => h.close());

  it('upgrades a hash only while it is still the one that was checked, without moving updatedAt', async () => {
    const passwords = h.get(PasswordsRepository);
    const user = await h.user(environmentId);
    await passwords.setPassword(user.id, 'old-hash', 'OK', new Date());
    const before = (await passwords.findWithHash(environmentId, user.id))!;

    expect(await passwords.upgradeHash(user.id, 'old-hash', 'stronger-hash')).toBe(true);
    const after = (await passwords.findWithHash(environmentId, user.id))!;
    expect(after.hash).toBe('stronger-hash');
    expect(after.user.updatedAt).toEqual(before.user.updatedAt);

    // A reset between the check and the upgrade: the upgrade must not bring the old password back.
    await passwords.setPassword(user.id, 'reset-hash', 'OK', new Date());
    expect(await passwords.upgradeHash(user.id, 'stronger-hash', 'upgrade-of-old')).toBe(false);
    expect((await passwords.findWithHash(environmentId, user.id))!.hash).toBe('reset-hash');
  });
});
