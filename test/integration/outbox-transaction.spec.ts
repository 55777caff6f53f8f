import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RequestContext } from '../../src/common/context/request-context.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { BootstrapService } from '../../src/bootstrap/bootstrap.service.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { OutboxWriter } from '../../src/events/outbox.writer.js';
import { AccountRepository } from '../../src/users/account/account.repository.js';
import { AccountService } from '../../src/users/account/account.service.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { startApp, type TestApp } from '../support/test-app.js';

describe('the unlock transaction and its outbox row, on the real database', () => {
  let t: TestApp;
  let environmentId: string;
  let populationId: string;
  let context: RequestContext;
  let users: UsersRepository;
  let outbox: OutboxRepository;
  let account: AccountService;
  let transactions: TransactionHost;

  beforeAll(async () => {
    t = await startApp();
    ({ environmentId, populationId } = await t.app.get(BootstrapService).createEnvironment('Integration'));
    context = {
      correlationId: 'it-1',
      principal: { clientId: randomUUID(), clientName: 'test', environmentId, grants: { from: 'token', grants: [] } },
    };
    users = t.app.get(UsersRepository);
    outbox = t.app.get(OutboxRepository);
    account = t.app.get(AccountService);
    transactions = t.app.get(TransactionHost);
  });
  afterAll(async () => t.close());

  const newLockedUser = async (username: string) => {
    const user = await users.create(environmentId, populationId, randomUUID(), {
      username,
      email: null,
      mfaEnabled: false,
      name: {},
      nickname: null,
      title: null,
      type: null,
      locale: null,
      preferredLanguage: null,
      timezone: null,
      mobilePhone: null,
      primaryPhone: null,
      externalId: null,
      photoHref: null,
      address: null,
    });
    // Locked as the password lockout leaves an account (set directly: the lockout records events of its own).
    await transactions.tx.user.update({
      where: { id: user.id },
      data: { accountStatus: 'LOCKED', lockReason: 'PASSWORD', lockedAt: new Date(), unlockAt: new Date(Date.now() + 60_000) },
    });
    return user;
  };
  const eventsOf = async (userId: string) => (await outbox.listForEnvironment(environmentId, userId)).map((e) => e.type);

  it('clears the lock and both failure counters, and writes USER.UNLOCKED, together', async () => {
    const user = await newLockedUser('counters');
    await t.app.get(TransactionHost).tx.user.update({ where: { id: user.id }, data: { passwordFailureCount: 5, mfaFailureCount: 3 } });

    const unlocked = await account.unlock(environmentId, user.id, context);

    expect(unlocked.lock).toEqual({ status: 'OK', reason: null, lockedAt: null, unlockAt: null });
    expect(unlocked.passwordFailureCount).toBe(0);
    expect(unlocked.mfaFailureCount).toBe(0);
    expect(await eventsOf(user.id)).toEqual(['USER.UNLOCKED']);
  });

  it('rolls back the unlock when the transaction fails after it, leaving no event', async () => {
    const user = await newLockedUser('rollback');
    await expect(
      transactions.run(async () => {
        await account.unlock(environmentId, user.id, context);
        throw new Error('failure after the outbox write');
      }),
    ).rejects.toThrow('failure after the outbox write');

    expect((await users.findById(environmentId, user.id))?.lock.status).toBe('LOCKED');
    expect(await eventsOf(user.id)).toEqual([]);
  });

  it('leaves the account locked when the insert of its event fails: the change and the event are one statement', async () => {
    const user = await newLockedUser('outbox-fails');
    const duplicateId = randomUUID();
    await transactions.run(() =>
      outbox.append(environmentId, { id: duplicateId, createdAt: new Date().toISOString(), action: { type: 'USER.UPDATED' } } as never),
    );
    const event = t.app.get(OutboxWriter).draftUserEvent({ type: 'USER.UNLOCKED', context, description: 'x' });
    // An event id already used: the unique index refuses the event, and with it the unlock.
    await expect(
      t.app.get(AccountRepository).unlockRecording(environmentId, user.id, new Date(), { ...event, id: duplicateId }),
    ).rejects.toThrow();
    expect((await users.findById(environmentId, user.id))?.lock.status).toBe('LOCKED');
    expect(await eventsOf(user.id)).toEqual([]);
  });

  it('refuses to record an event outside a transaction', async () => {
    const user = await newLockedUser('no-tx');
    await expect(t.app.get(OutboxWriter).record({ type: 'USER.UNLOCKED', subject: user, context, description: 'x' })).rejects.toThrow(
      /inside the transaction/,
    );
  });

  it('orders events by a strictly increasing sequence', async () => {
    const user = await newLockedUser('sequence');
    await account.unlock(environmentId, user.id, context);
    await account.lock(environmentId, user.id, undefined, context);
    await account.unlock(environmentId, user.id, context);
    const rows = await outbox.listForEnvironment(environmentId, user.id);
    expect(rows.map((r) => r.type)).toEqual(['USER.UNLOCKED', 'USER.LOCKED', 'USER.UNLOCKED']);
    for (let i = 1; i < rows.length; i++) expect((rows[i]?.sequence ?? 0n) > (rows[i - 1]?.sequence ?? 0n)).toBe(true);
  });

  it('an admin unlock of an expired timed lock changes nothing: the expiry owns that transition', async () => {
    const user = await newLockedUser('expired-unlock');
    await t.app.get(TransactionHost).tx.user.update({ where: { id: user.id }, data: { unlockAt: new Date(Date.now() - 1000) } });
    await account.unlock(environmentId, user.id, context);
    expect(await eventsOf(user.id)).toEqual([]);
  });

  it('an expired timed lock can still be locked again (it reads as unlocked)', async () => {
    const user = await newLockedUser('expired');
    await t.app.get(TransactionHost).tx.user.update({ where: { id: user.id }, data: { unlockAt: new Date(Date.now() - 1000) } });
    const relocked = await account.lock(environmentId, user.id, undefined, context);
    expect(relocked.lock).toMatchObject({ status: 'LOCKED', reason: 'ADMIN', unlockAt: null });
  });
});
