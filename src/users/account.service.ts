import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import type { User } from './user.js';
import { UnlockAtNotInFuture, UserNotFound } from './users.errors.js';
import { UsersRepository } from './users.repository.js';

/** The account lock: the admin lock and the admin unlock. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersRepository,
    private readonly events: OutboxWriter,
    private readonly transactions: TransactionHost,
  ) {}

  /**
   * Clears every lock of the account (explicit, password, MFA) and both failure counters, and
   * records one `USER.UNLOCKED`, in one transaction. An account that is not locked is returned
   * unchanged with no event, so racing unlocks of one lock produce exactly one event.
   */
  unlock(environmentId: string, userId: string, context: RequestContext): Promise<User> {
    return this.transactions.run(async () => {
      const unlocked = await this.users.unlockIfLocked(environmentId, userId, new Date());
      if (!unlocked) return this.existing(environmentId, userId);
      await this.events.record({ type: 'USER.UNLOCKED', subject: unlocked, context, description: 'Account unlocked by an administrator' });
      return unlocked;
    });
  }

  /**
   * Locks the account until `unlockAt`, or until an administrator unlocks it when absent. Locking
   * an account that is already locked changes nothing and records nothing: unlock first to change
   * the terms of a lock.
   */
  async lock(environmentId: string, userId: string, unlockAt: Date | undefined, context: RequestContext): Promise<User> {
    const now = new Date();
    if (unlockAt && unlockAt.getTime() <= now.getTime()) throw new UnlockAtNotInFuture();
    return this.transactions.run(async () => {
      const locked = await this.users.lockIfUnlocked(environmentId, userId, 'ADMIN', unlockAt ?? null, now);
      if (!locked) return this.existing(environmentId, userId);
      const until = unlockAt ? `until ${unlockAt.toISOString()}` : 'until an administrator unlocks it';
      await this.events.record({
        type: 'USER.LOCKED',
        subject: locked,
        context,
        description: `Account locked by an administrator ${until}`,
      });
      return locked;
    });
  }

  private async existing(environmentId: string, userId: string): Promise<User> {
    const user = await this.users.findById(environmentId, userId);
    if (!user) throw new UserNotFound();
    return user;
  }
}
