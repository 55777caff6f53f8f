import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { LockExpirySweeper } from '../../src/lockout/lock-expiry.sweeper.js';
import { createEnvironment, lockUser, startApp, type TestApp, type TestEnvironment, UNLOCK, usersPath } from '../support/test-app.js';

describe('the lock expiry sweeper across two instances on one database', () => {
  let database: OwnDatabase;
  let a: TestApp;
  let b: TestApp;
  let env: TestEnvironment;

  beforeAll(async () => {
    database = await ownDatabase(`identity_sweeper_instances_${process.pid}`);
    // A small batch makes many sweeps compete for the same rows.
    a = await startApp({ lockSweepIntervalMs: 0, lockSweepBatchSize: 7 }, database.open);
    b = await startApp({ lockSweepIntervalMs: 0, lockSweepBatchSize: 7 }, database.open);
    env = await createEnvironment(a);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  const prisma = () => a.app.get(TransactionHost).tx;
  const unlockedEvents = async () =>
    (await a.app.get(OutboxRepository).listForEnvironment(env.environmentId)).filter((e) => e.type === 'USER.UNLOCKED');

  /** Users locked in the database directly, their lock already expired (nothing else could create that). */
  async function expiredLocks(count: number, prefix: string): Promise<string[]> {
    const reasons = ['PASSWORD', 'MFA', 'ADMIN'] as const;
    const past = new Date(Date.now() - 60_000);
    const data = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      environmentId: env.environmentId,
      populationId: env.populationId,
      username: `${prefix}-${i}`,
      usernameLower: `${prefix}-${i}`,
      accountStatus: 'LOCKED' as const,
      lockReason: reasons[i % 3],
      lockedAt: new Date(past.getTime() - 60_000),
      unlockAt: new Date(past.getTime() + i),
      passwordFailureCount: i % 3 === 0 ? 5 : 0,
      passwordLockedAt: i % 3 === 0 ? past : null,
      passwordUnlockAt: i % 3 === 0 ? past : null,
      mfaFailureCount: i % 3 === 1 ? 5 : 0,
    }));
    await prisma().user.createMany({ data });
    return data.map((user) => user.id);
  }

  it('200 expired locks swept by both instances at once give exactly 200 USER.UNLOCKED, one per user', async () => {
    const ids = await expiredLocks(200, 'bulk');
    const sweepers = [a, b].map((t) => t.app.get(LockExpirySweeper));

    // 2 × 30 concurrent sweeps of at most 7 each: far more claims than locks, all at once.
    const wave = await Promise.all(Array.from({ length: 60 }, (_, i) => sweepers[i % 2].sweepOnce()));
    const perInstance = [0, 1].map((n) => wave.filter((_, i) => i % 2 === n).reduce((sum, count) => sum + count, 0));
    // A sweep that found every remaining row claimed by another returns early: take what is left.
    let rest = 0;
    for (let more = 1; more > 0; rest += more) more = await sweepers[0].sweepOnce();

    expect(perInstance[0] + perInstance[1] + rest).toBe(200);
    expect(perInstance.every((n) => n > 0)).toBe(true);
    const events = await unlockedEvents();
    expect(events).toHaveLength(200);
    expect(new Set(events.map((e) => e.payload.resources[0]?.id))).toEqual(new Set(ids));
    const rows = await prisma().user.findMany({ where: { id: { in: ids } }, select: { accountStatus: true, unlockAt: true } });
    expect(rows.every((row) => row.accountStatus === 'OK' && row.unlockAt === null)).toBe(true);
    await expect(sweepers[1].sweepOnce()).resolves.toBe(0);
  });

  it('racing an admin unlock on the other instance, while both may unlock, records exactly one USER.UNLOCKED per lock', async () => {
    const users = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const response = await b.http
          .post(usersPath(env))
          .set('Authorization', `Bearer ${env.token}`)
          .set('Content-Type', 'application/json')
          .send({ username: `race-${i}` })
          .expect(201);
        return response.body.id as string;
      }),
    );
    // Still locked for the admin unlock (now < unlockAt), already expired for the sweep's clock.
    const unlockAt = new Date(Date.now() + 4000).toISOString();
    await Promise.all(users.map((id) => lockUser(b, env, id, { unlockAt })));
    const before = (await unlockedEvents()).length;

    const [adminResponses, swept] = await Promise.all([
      Promise.all(
        users.map((id) =>
          b.http
            .post(`${usersPath(env)}/${id}`)
            .set('Authorization', `Bearer ${env.token}`)
            .set('Content-Type', UNLOCK),
        ),
      ),
      Promise.all(users.map(() => a.app.get(LockExpirySweeper).sweepOnce(new Date(Date.now() + 10_000)))),
    ]);

    expect(adminResponses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(adminResponses.every((r) => r.body.account.status === 'OK')).toBe(true);
    const events = (await unlockedEvents()).slice(before);
    expect(events.map((e) => e.payload.resources[0]?.id).sort()).toEqual([...users].sort());
    const automatic = events.filter((e) => e.payload.actors.client === undefined).length;
    expect(swept.reduce((sum, n) => sum + n, 0)).toBe(automatic);
    expect(await prisma().user.count({ where: { id: { in: users }, accountStatus: 'LOCKED' } })).toBe(0);
  });
});
