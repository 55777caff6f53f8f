import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { MfaDevicesRepository } from '../../src/mfa/mfa-devices.repository.js';
import { AccountRepository } from '../../src/users/account/account.repository.js';
import { AccountService } from '../../src/users/account/account.service.js';
import { createEnvironment, createUser, startApp, type TestApp, type TestEnvironment } from '../support/test-app.js';

const MINUTE = 60_000;

describe('the MFA counter and lock statements, on the real database', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let lockout: AccountRepository;
  let devices: MfaDevicesRepository;
  let transactions: TransactionHost;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    lockout = t.app.get(AccountRepository);
    devices = t.app.get(MfaDevicesRepository);
    transactions = t.app.get(TransactionHost);
  });
  afterAll(async () => t.close());

  const newUserId = async (username: string): Promise<string> => (await createUser(t, env, { username })).id;
  const stored = (id: string) =>
    transactions.tx.user.findUniqueOrThrow({
      where: { id },
      select: { mfaFailureCount: true, accountStatus: true, lockReason: true, lockedAt: true, unlockAt: true },
    });
  const release = (userId: string, now: Date) =>
    t.app.get(AccountService).releaseIfExpired(env.environmentId, userId, 'MFA', now, 'it-release');
  const fail = (userId: string, limit: number, now: Date, lockUntil = new Date(now.getTime() + 10 * MINUTE)) =>
    transactions.run(() => lockout.recordMfaFailure(env.environmentId, userId, limit, lockUntil, now));

  it('counts 20 concurrent failures against a limit of 5 exactly: five counted, one of them locks', async () => {
    const userId = await newUserId('burst');
    const now = new Date();
    const lockUntil = new Date(now.getTime() + 10 * MINUTE);

    const results = await Promise.all(Array.from({ length: 20 }, () => fail(userId, 5, now, lockUntil)));

    const counted = results.filter((r) => r !== null);
    expect(counted.map((r) => r.failures).sort()).toEqual([1, 2, 3, 4, 5]);
    const locking = counted.filter((r) => r.locked);
    expect(locking).toHaveLength(1);
    expect(locking[0]).toMatchObject({
      failures: 5,
      unlockAt: lockUntil,
      subject: { id: userId, username: 'burst', environmentId: env.environmentId },
    });
    expect(counted.filter((r) => !r.locked).every((r) => r.unlockAt === null)).toBe(true);
    expect(await stored(userId)).toEqual({
      mfaFailureCount: 5,
      accountStatus: 'LOCKED',
      lockReason: 'MFA',
      lockedAt: now,
      unlockAt: lockUntil,
    });
  });

  it('does not count while locked; releases an expired MFA lock once, after which counting starts from 0', async () => {
    const userId = await newUserId('expiry');
    const start = new Date();
    const lockUntil = new Date(start.getTime() + 10 * MINUTE);
    for (let i = 0; i < 3; i++) await fail(userId, 3, start, lockUntil);

    const during = new Date(start.getTime() + 9 * MINUTE);
    expect(await fail(userId, 3, during)).toBeNull();
    expect(await release(userId, during)).toBe(false);
    expect((await stored(userId)).mfaFailureCount).toBe(3);

    const later = new Date(start.getTime() + 11 * MINUTE);
    const releases = await Promise.all(Array.from({ length: 5 }, () => release(userId, later)));
    expect(releases.filter(Boolean)).toHaveLength(1);
    const unlocked = (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, userId)).filter(
      (e) => e.type === 'USER.UNLOCKED',
    );
    expect(unlocked).toHaveLength(1);
    expect(unlocked[0]?.payload.result.description).toContain(`MFA lockout expired at ${lockUntil.toISOString()}`);
    expect(await stored(userId)).toEqual({ mfaFailureCount: 0, accountStatus: 'OK', lockReason: null, lockedAt: null, unlockAt: null });

    expect(await fail(userId, 3, later)).toMatchObject({ failures: 1, locked: false, unlockAt: null });
    expect(await fail(userId, 3, later)).toMatchObject({ failures: 2, locked: false });
    const relockUntil = new Date(later.getTime() + 5 * MINUTE);
    expect(await fail(userId, 3, later, relockUntil)).toMatchObject({ failures: 3, locked: true, unlockAt: relockUntil });
    expect(await stored(userId)).toEqual({
      mfaFailureCount: 3,
      accountStatus: 'LOCKED',
      lockReason: 'MFA',
      lockedAt: later,
      unlockAt: relockUntil,
    });
  });

  it('releases an expired password lock stored under the MFA lock, as the sweeper would', async () => {
    const userId = await newUserId('layers');
    const start = new Date();
    for (let i = 0; i < 2; i++) await fail(userId, 2, start, new Date(start.getTime() + MINUTE));
    await transactions.tx.user.update({
      where: { id: userId },
      data: {
        passwordFailureCount: 4,
        passwordLockedAt: new Date(start.getTime() - 5 * MINUTE),
        passwordUnlockAt: new Date(start.getTime() - MINUTE),
      },
    });
    expect(await release(userId, new Date(start.getTime() + 2 * MINUTE))).toBe(true);
    expect(
      await transactions.tx.user.findUniqueOrThrow({
        where: { id: userId },
        select: { passwordFailureCount: true, passwordLockedAt: true, passwordUnlockAt: true },
      }),
    ).toEqual({ passwordFailureCount: 0, passwordLockedAt: null, passwordUnlockAt: null });
  });

  it("leaves another reason's expired lock to the sweeper, and keeps counting under it", async () => {
    const userId = await newUserId('adminexpired');
    const lockedAt = new Date();
    const unlockAt = new Date(lockedAt.getTime() + MINUTE);
    await transactions.tx.user.update({
      where: { id: userId },
      data: { accountStatus: 'LOCKED', lockReason: 'ADMIN', lockedAt, unlockAt, mfaFailureCount: 1 },
    });
    const later = new Date(lockedAt.getTime() + 2 * MINUTE);

    expect(await release(userId, later)).toBe(false);
    expect(await fail(userId, 5, later)).toMatchObject({ failures: 2, locked: false });
    expect(await stored(userId)).toEqual({ mfaFailureCount: 2, accountStatus: 'LOCKED', lockReason: 'ADMIN', lockedAt, unlockAt });
  });

  it('locks at the next failure when the limit was lowered below the count', async () => {
    const userId = await newUserId('lowered');
    const now = new Date();
    for (let i = 0; i < 4; i++) expect((await fail(userId, 10, now))?.locked).toBe(false);
    expect(await fail(userId, 3, now)).toMatchObject({ failures: 5, locked: true });
  });

  it('a limit of 1 locks at the first failure', async () => {
    const userId = await newUserId('strict');
    expect(await fail(userId, 1, new Date())).toMatchObject({ failures: 1, locked: true });
  });

  it('resets the counter only when the account is not locked', async () => {
    const userId = await newUserId('reset');
    const now = new Date();
    await fail(userId, 5, now);
    await fail(userId, 5, now);
    expect(await lockout.clearMfaFailures(env.environmentId, userId, now)).toEqual({
      id: userId,
      username: 'reset',
      environmentId: env.environmentId,
      populationId: env.populationId,
    });
    expect((await stored(userId)).mfaFailureCount).toBe(0);

    for (let i = 0; i < 5; i++) await fail(userId, 5, now);
    expect(await lockout.clearMfaFailures(env.environmentId, userId, now)).toBeNull();
    expect((await stored(userId)).mfaFailureCount).toBe(5);
    expect(await lockout.clearMfaFailures(env.environmentId, userId, new Date(now.getTime() + 11 * MINUTE))).not.toBeNull();
    expect((await stored(userId)).mfaFailureCount).toBe(0);
  });

  it('touches only the user of the given environment', async () => {
    const userId = await newUserId('scoped');
    const elsewhere = await createEnvironment(t);
    const now = new Date();
    expect(await transactions.run(() => lockout.recordMfaFailure(elsewhere.environmentId, userId, 5, now, now))).toBeNull();
    expect(await lockout.clearMfaFailures(elsewhere.environmentId, userId, now)).toBeNull();
    expect(await lockout.findLockState(elsewhere.environmentId, userId)).toBeNull();
    expect((await stored(userId)).mfaFailureCount).toBe(0);
  });

  it('claims a time step once: of 10 concurrent claims one wins, and earlier steps stay refused', async () => {
    const userId = await newUserId('steps');
    const holder = await devices.findHolder(env.environmentId, userId);
    const device = await devices.createTotp(holder!, randomUUID(), 'JBSWY3DPEHPK3PXP');
    const step = 59_000_000;

    const claims = await Promise.all(Array.from({ length: 10 }, () => transactions.run(() => devices.claimTimeStep(device!.id, step))));

    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await devices.claimTimeStep(device!.id, step - 1)).toBe(false);
    expect(await devices.claimTimeStep(device!.id, step + 1)).toBe(true);
    expect(await devices.claimTimeStep(device!.id, step + 1)).toBe(false);
  });

  it('reads the secret only through findWithSecret', async () => {
    const userId = await newUserId('secret');
    const holder = await devices.findHolder(env.environmentId, userId);
    const created = await devices.createTotp(holder!, randomUUID(), 'the-ciphertext');
    expect(created).not.toHaveProperty('secret');
    expect(await devices.findForUser(env.environmentId, userId, created!.id)).not.toHaveProperty('secret');
    expect((await devices.listForUser(env.environmentId, userId))[0]).not.toHaveProperty('secretCiphertext');
    expect(await devices.findWithSecret(env.environmentId, userId, created!.id)).toEqual({
      device: created,
      secret: { ciphertext: 'the-ciphertext', plaintext: null },
      userEnabled: true,
    });
  });
});
