import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { LockExpirySweeper } from '../../src/lockout/lock-expiry.sweeper.js';
import {
  BASE_URL,
  createEnvironment,
  createUser,
  lockUser,
  startApp,
  type TestApp,
  type TestEnvironment,
  usersPath,
  usesEmbeddedDatabase,
} from '../support/test-app.js';
import { checkPassword, GOOD_PASSWORD, passwordPath, useLockoutPolicy, userWithPassword } from '../support/passwords.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECOND = 1000;

describe('the expiry of timed locks, persisted by the sweeper', () => {
  let database: OwnDatabase | undefined;
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    database = usesEmbeddedDatabase() ? undefined : await ownDatabase(`identity_lock_expiry_${process.pid}`);
    t = await startApp({ lockSweepIntervalMs: 0 }, database?.open);
    env = await createEnvironment(t);
    api = t.as(env.token);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  const sweep = (now?: Date) => t.app.get(LockExpirySweeper).sweepOnce(now);
  const prisma = () => t.app.get(TransactionHost).tx;
  const unlockedEvents = async (userId: string) =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, userId)).filter((e) => e.type === 'USER.UNLOCKED');
  const read = (userId: string) => api.get(`${usersPath(env)}/${userId}`).expect(200);
  const stored = (id: string) =>
    prisma().user.findUniqueOrThrow({
      where: { id },
      select: {
        accountStatus: true,
        lockReason: true,
        lockedAt: true,
        unlockAt: true,
        passwordFailureCount: true,
        passwordLockedAt: true,
        passwordUnlockAt: true,
        mfaFailureCount: true,
        updatedAt: true,
      },
    });

  interface StoredLock {
    lockReason: 'ADMIN' | 'PASSWORD' | 'MFA';
    unlockAt: Date;
    passwordFailureCount?: number;
    passwordUnlockAt?: Date;
    mfaFailureCount?: number;
  }
  /** Writes a lock as the lockout layers leave it (nothing in the API can create one already expired). */
  async function lockedUser(username: string, lock: StoredLock): Promise<string> {
    const { id } = await createUser(t, env, { username });
    await prisma().user.update({
      where: { id },
      data: {
        accountStatus: 'LOCKED',
        lockReason: lock.lockReason,
        lockedAt: new Date(lock.unlockAt.getTime() - 900 * SECOND),
        unlockAt: lock.unlockAt,
        passwordFailureCount: lock.passwordFailureCount ?? 0,
        passwordLockedAt: lock.passwordUnlockAt ? new Date(lock.passwordUnlockAt.getTime() - 900 * SECOND) : null,
        passwordUnlockAt: lock.passwordUnlockAt ?? null,
        mfaFailureCount: lock.mfaFailureCount ?? 0,
      },
    });
    return id as string;
  }

  it('persists an expired password lockout as unlocked, clears the password lock, and records one automatic USER.UNLOCKED', async () => {
    const unlockAt = new Date(Date.now() - 30 * SECOND);
    const id = await lockedUser('expired-password', {
      lockReason: 'PASSWORD',
      unlockAt,
      passwordUnlockAt: unlockAt,
      passwordFailureCount: 5,
      mfaFailureCount: 2,
    });
    const before = await read(id);
    expect(before.body.account).toEqual({ canAuthenticate: true, status: 'OK' });

    expect(await sweep()).toBeGreaterThanOrEqual(1);

    expect(await stored(id)).toMatchObject({
      accountStatus: 'OK',
      lockReason: null,
      lockedAt: null,
      unlockAt: null,
      passwordFailureCount: 0,
      passwordLockedAt: null,
      passwordUnlockAt: null,
      mfaFailureCount: 2,
    });
    const [event, ...more] = await unlockedEvents(id);
    expect(more).toHaveLength(0);
    expect(event?.payload).toMatchObject({
      action: { type: 'USER.UNLOCKED', description: 'User Unlocked' },
      actors: {},
      resources: [{ id, name: 'expired-password', type: 'USER', href: `${BASE_URL}/v1/environments/${env.environmentId}/users/${id}` }],
      result: {
        status: 'SUCCESS',
        description: `Account unlocked automatically: the password lockout expired at ${unlockAt.toISOString()}`,
      },
    });
    expect(event?.payload.actors).not.toHaveProperty('client');
    expect(event?.payload.correlationId).toMatch(UUID);

    // Reads did not change; only the stored row did.
    const after = await read(id);
    expect(after.body.account).toEqual(before.body.account);
    expect(Date.parse(after.body.updatedAt)).toBeGreaterThan(Date.parse(before.body.updatedAt));
    await sweep();
    expect(await unlockedEvents(id)).toHaveLength(1);
  });

  it.each([
    [
      'an MFA lockout clears the MFA counter only',
      { lockReason: 'MFA', mfaFailureCount: 5, passwordFailureCount: 3 },
      { mfaFailureCount: 0, passwordFailureCount: 3 },
      'MFA lockout',
    ],
    [
      "an administrator's timed lock clears no counter",
      { lockReason: 'ADMIN', mfaFailureCount: 2, passwordFailureCount: 3 },
      { mfaFailureCount: 2, passwordFailureCount: 3 },
      "administrator's lock",
    ],
  ] as const)('%s', async (_, lock, counters, name) => {
    const unlockAt = new Date(Date.now() - SECOND);
    const id = await lockedUser(`cleared-${lock.lockReason}`, { ...lock, unlockAt });
    await sweep();
    expect(await stored(id)).toMatchObject({ accountStatus: 'OK', lockReason: null, lockedAt: null, unlockAt: null, ...counters });
    const events = await unlockedEvents(id);
    expect(events.map((e) => e.payload.result.description)).toEqual([
      `Account unlocked automatically: the ${name} expired at ${unlockAt.toISOString()}`,
    ]);
  });

  it('with an expired MFA lockout, also clears a password lock that has expired, but not one still running', async () => {
    const past = new Date(Date.now() - 10 * SECOND);
    const running = new Date(Date.now() + 600 * SECOND);
    const expiredToo = await lockedUser('mfa-and-old-password', {
      lockReason: 'MFA',
      unlockAt: past,
      mfaFailureCount: 5,
      passwordFailureCount: 5,
      passwordUnlockAt: new Date(past.getTime() - SECOND),
    });
    const stillLocked = await lockedUser('mfa-and-password', {
      lockReason: 'MFA',
      unlockAt: past,
      mfaFailureCount: 5,
      passwordFailureCount: 5,
      passwordUnlockAt: running,
    });
    await sweep();
    expect(await stored(expiredToo)).toMatchObject({
      accountStatus: 'OK',
      mfaFailureCount: 0,
      passwordFailureCount: 0,
      passwordLockedAt: null,
      passwordUnlockAt: null,
    });
    expect(await stored(stillLocked)).toMatchObject({
      accountStatus: 'OK',
      mfaFailureCount: 0,
      passwordFailureCount: 5,
      passwordUnlockAt: running,
    });
  });

  it('never touches a lock without unlockAt, however late the sweep', async () => {
    const { id } = await createUser(t, env, { username: 'indefinite' });
    await lockUser(t, env, id);
    await sweep(new Date('2999-01-01T00:00:00Z'));
    expect(await stored(id)).toMatchObject({ accountStatus: 'LOCKED', lockReason: 'ADMIN', unlockAt: null });
    expect(await unlockedEvents(id)).toHaveLength(0);
    expect((await read(id)).body.account.status).toBe('LOCKED');
  });

  it('leaves a timed lock alone until its unlockAt, then persists it', async () => {
    const { id } = await createUser(t, env, { username: 'not-yet' });
    const unlockAt = new Date(Date.now() + 2 * SECOND);
    await lockUser(t, env, id, { unlockAt: unlockAt.toISOString() });

    await sweep();
    expect(await stored(id)).toMatchObject({ accountStatus: 'LOCKED', unlockAt });
    expect(await unlockedEvents(id)).toHaveLength(0);

    // The sweep's clock stands in for waiting.
    await sweep(new Date(unlockAt.getTime() + 5 * SECOND));
    expect(await stored(id)).toMatchObject({ accountStatus: 'OK', unlockAt: null });
    expect((await unlockedEvents(id)).map((e) => e.payload.result.description)).toEqual([
      `Account unlocked automatically: the administrator's lock expired at ${unlockAt.toISOString()}`,
    ]);
  });

  describe('with the password lockout of failed checks', () => {
    beforeAll(async () => {
      await useLockoutPolicy(t, env, 2, 60);
    });
    const passwordState = async (id: string) => (await api.get(passwordPath(env, id)).expect(200)).body;
    const lockOut = async (id: string) => {
      await checkPassword(t, env, id, 'Wrong-Password-1').expect(400);
      await checkPassword(t, env, id, 'Wrong-Password-2').expect(400);
      expect(await stored(id)).toMatchObject({ accountStatus: 'LOCKED', lockReason: 'PASSWORD', passwordFailureCount: 2 });
    };

    it('persists the lockout once expired: password and account usable again, counter back to zero', async () => {
      const id = await userWithPassword(t, env, 'checked-out');
      await lockOut(id);
      const { unlockAt } = await stored(id);

      await sweep(new Date((unlockAt as Date).getTime() + SECOND));

      expect(await stored(id)).toMatchObject({
        accountStatus: 'OK',
        passwordFailureCount: 0,
        passwordLockedAt: null,
        passwordUnlockAt: null,
      });
      expect((await unlockedEvents(id)).map((e) => e.payload.result.description)).toEqual([
        `Account unlocked automatically: the password lockout expired at ${(unlockAt as Date).toISOString()}`,
      ]);
      expect(await passwordState(id)).toMatchObject({ status: 'OK', failuresRemaining: 2 });
      await checkPassword(t, env, id, GOOD_PASSWORD).expect(200);
    });

    it('keeps a failure the password layer counted after the expiry, before the sweep', async () => {
      const id = await userWithPassword(t, env, 'counted-again');
      await lockOut(id);
      const past = new Date(Date.now() - SECOND);
      await prisma().user.update({ where: { id }, data: { unlockAt: past, passwordUnlockAt: past } });
      // The expired lock no longer holds: this failure starts a new count on the still stored lock.
      await checkPassword(t, env, id, 'Wrong-Password-3').expect(400);

      await sweep();

      expect(await stored(id)).toMatchObject({ accountStatus: 'OK', passwordFailureCount: 1, passwordLockedAt: null });
      expect(await passwordState(id)).toMatchObject({ status: 'OK', failuresRemaining: 1 });
      expect(await unlockedEvents(id)).toHaveLength(1);
    });
  });

  describe('racing the admin unlock', () => {
    const adminUnlock = (id: string) => api.post(`${usersPath(env)}/${id}`).set('Content-Type', MediaTypes.ACCOUNT_UNLOCK);

    it('on an expired lock: the sweep records the one USER.UNLOCKED, the admin unlock none', async () => {
      const unlockAt = new Date(Date.now() - SECOND);
      const ids = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          lockedUser(`race-expired-${i}`, { lockReason: 'PASSWORD', unlockAt, passwordUnlockAt: unlockAt, passwordFailureCount: 5 }),
        ),
      );
      const [responses] = await Promise.all([Promise.all(ids.map(adminUnlock)), Promise.all(ids.map(() => sweep()))]);

      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(responses.every((r) => r.body.account.status === 'OK')).toBe(true);
      for (const id of ids) {
        const events = await unlockedEvents(id);
        expect(events).toHaveLength(1);
        expect(events[0]?.payload.actors).toEqual({});
        expect(await stored(id)).toMatchObject({ accountStatus: 'OK', passwordFailureCount: 0 });
      }
    });

    it('on a lock both may end (admin before unlockAt, sweep after it): exactly one USER.UNLOCKED', async () => {
      const unlockAt = new Date(Date.now() + 4 * SECOND).toISOString();
      const ids = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const { id } = await createUser(t, env, { username: `race-both-${i}` });
          await lockUser(t, env, id, { unlockAt });
          return id as string;
        }),
      );
      const later = new Date(Date.parse(unlockAt) + 5 * SECOND);
      const [responses] = await Promise.all([Promise.all(ids.map(adminUnlock)), Promise.all(ids.map(() => sweep(later)))]);

      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      for (const id of ids) {
        expect(await unlockedEvents(id)).toHaveLength(1);
        expect(await stored(id)).toMatchObject({ accountStatus: 'OK', unlockAt: null });
      }
    });
  });

  describe('the background loop', () => {
    let looping: TestApp;
    let loopEnv: TestEnvironment;

    beforeAll(async () => {
      looping = await startApp({ lockSweepIntervalMs: 50 }, database?.open);
      loopEnv = await createEnvironment(looping);
    });
    afterAll(async () => looping?.close());

    it('persists an expired lock without anyone calling it', async () => {
      const { id } = await createUser(looping, loopEnv, { username: 'left-to-the-loop' });
      const tx = looping.app.get(TransactionHost).tx;
      await tx.user.update({
        where: { id },
        data: {
          accountStatus: 'LOCKED',
          lockReason: 'MFA',
          lockedAt: new Date(Date.now() - 60 * SECOND),
          unlockAt: new Date(Date.now() - SECOND),
          mfaFailureCount: 5,
        },
      });

      const deadline = Date.now() + 5 * SECOND;
      let row = await tx.user.findUniqueOrThrow({ where: { id }, select: { accountStatus: true, mfaFailureCount: true } });
      while (row.accountStatus === 'LOCKED' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        row = await tx.user.findUniqueOrThrow({ where: { id }, select: { accountStatus: true, mfaFailureCount: true } });
      }

      expect(row).toEqual({ accountStatus: 'OK', mfaFailureCount: 0 });
      const events = (await looping.app.get(OutboxRepository).listForEnvironment(loopEnv.environmentId, id)).filter(
        (e) => e.type === 'USER.UNLOCKED',
      );
      expect(events).toHaveLength(1);
      expect(events[0]?.payload.result.description).toMatch(/^Account unlocked automatically: the MFA lockout expired at /);
    });
  });
});
