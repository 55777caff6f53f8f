import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '../../common/context/request-context.js';
import { type LockCause, Metrics, type UnlockCause } from '../../common/metrics/metrics.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TransactionHost } from '../../database/transaction-host.js';
import type { EventSubject, EventType } from '../../events/event-catalog.js';
import { type EventContext, OutboxWriter } from '../../events/outbox.writer.js';
import type { LockReason, LockState, User } from '../user.js';
import { UnlockAtNotInFuture, UserNotFound } from '../users.errors.js';
import { UsersRepository } from '../users.repository.js';
import { AccountRepository, type ExpiredLock, type MfaFailure, type PasswordFailure } from './account.repository.js';
import { isLocked, lockEnd } from './lock-state.js';

/** The event of the feature that caused an account change; recorded before the account's own event. */
export interface Cause {
  type: EventType;
  description: string;
  status?: 'SUCCESS' | 'FAILED';
}

export interface Lockout {
  failureCount: number;
  durationSeconds: number;
}

export interface SweepResult {
  /** Users whose expired lock this sweep persisted (one USER.UNLOCKED each). */
  unlocked: number;
  /** Shared by every event of the sweep, and logged, so the two can be matched. */
  correlationId: string;
}

const LOCK_NAMES: Record<LockReason, string> = {
  ADMIN: "administrator's lock",
  PASSWORD: 'password lockout',
  MFA: 'MFA lockout',
};

/** The activity log's words for an unlock nobody asked for. */
export function automaticUnlockDescription(lock: Pick<ExpiredLock, 'reason' | 'unlockAt'>): string {
  const name = lock.reason ? LOCK_NAMES[lock.reason] : 'lock';
  return `Account unlocked automatically: the ${name} expired at ${lock.unlockAt.toISOString()}`;
}

/**
 * The owner of the account state (the account lock, the password lock and both failure counters):
 * every change of it goes through here, and every lock placed or lifted records its USER.LOCKED or
 * USER.UNLOCKED in the same transaction, after the event of the feature that caused it. Callers
 * that are already in a transaction are joined; the others get one of their own. The lock and
 * unlock metrics are counted here too, next to each event and once its transaction has committed,
 * so that they count exactly the events.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly users: UsersRepository,
    private readonly events: OutboxWriter,
    private readonly transactions: TransactionHost,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // Bound once: the admin unlock and lock are the hot path, and count with no allocation of their own.
  private readonly countAdminUnlock = (): void => this.metrics.accountsUnlocked('admin');
  private readonly countAdminLock = (): void => this.metrics.accountLocked('admin');

  lockState(environmentId: string, userId: string): Promise<LockState | null> {
    return this.accounts.findLockState(environmentId, userId);
  }

  /**
   * The administrator's unlock: clears every lock of the account (explicit, password, MFA) and both
   * failure counters, and records one USER.UNLOCKED. An account that is not locked is returned
   * unchanged with no event, so racing unlocks of one lock produce exactly one event.
   */
  async unlock(environmentId: string, userId: string, context: RequestContext): Promise<User> {
    const event = this.events.draftUserEvent({ type: 'USER.UNLOCKED', context, description: 'Account unlocked by an administrator' });
    // One statement changes the row and writes its event: no transaction to open, one round trip.
    const unlocked = await this.accounts.unlockRecording(environmentId, userId, event.createdAt, event);
    if (!unlocked) return this.existing(environmentId, userId);
    this.events.committed();
    this.transactions.afterCommit(this.countAdminUnlock);
    return unlocked;
  }

  /**
   * The administrator's lock, until `unlockAt` or until an administrator unlocks it. Locking an
   * account that is already locked changes nothing and records nothing: unlock first to change
   * the terms of a lock.
   */
  async lock(environmentId: string, userId: string, unlockAt: Date | undefined, context: RequestContext): Promise<User> {
    const now = new Date();
    if (unlockAt && unlockAt.getTime() <= now.getTime()) throw new UnlockAtNotInFuture();
    const until = unlockAt ? `until ${unlockAt.toISOString()}` : 'until an administrator unlocks it';
    const event = this.events.draftUserEvent({ type: 'USER.LOCKED', context, description: `Account locked by an administrator ${until}` });
    const locked = await this.accounts.lockRecording(environmentId, userId, 'ADMIN', unlockAt ?? null, now, event);
    if (!locked) return this.existing(environmentId, userId);
    this.events.committed();
    this.transactions.afterCommit(this.countAdminLock);
    return locked;
  }

  /**
   * Counts one failed password check; `cause` (given the new count) is recorded when it counted,
   * and USER.LOCKED when this failure reached the limit. Not counted while a lock holds.
   */
  countPasswordFailure(
    user: EventSubject,
    lockout: Lockout,
    context: RequestContext,
    cause: (failureCount: number) => Cause,
  ): Promise<PasswordFailure> {
    return this.transactions.run(async () => {
      const { failureCount, durationSeconds } = lockout;
      const now = new Date();
      const result = await this.accounts.recordPasswordFailure(user.environmentId, user.id, failureCount, lockEnd(now, lockout), now);
      if (!result.counted) return result;
      await this.recordCause(cause(result.failureCount), user, context);
      if (result.lockedNow) {
        const description = `Account locked: ${failureCount} failed password checks; unlocks in ${durationSeconds} seconds`;
        await this.recordLock('password', user, context, description);
      }
      return result;
    });
  }

  /** Resets the password failure count after a good password and records `cause`; false (nothing recorded) if a lock won the race. */
  clearPasswordFailures(user: EventSubject, context: RequestContext, cause: Cause): Promise<boolean> {
    return this.transactions.run(async () => {
      if (!(await this.accounts.clearPasswordFailures(user.environmentId, user.id, new Date()))) return false;
      await this.recordCause(cause, user, context);
      return true;
    });
  }

  /**
   * Clears the password lock and its counter of `current`, a user whose row the caller holds
   * (PasswordsRepository.lockRow), and the account lock too when the password lockout placed it
   * and it still holds: then `cause` is followed by USER.UNLOCKED saying `accountUnlocked`.
   */
  clearPasswordLock(current: User, context: RequestContext, cause: Cause & { accountUnlocked: string }): Promise<User> {
    return this.transactions.run(async () => {
      const now = new Date();
      const accountToo = current.lock.reason === 'PASSWORD' && isLocked(current.lock, now);
      const cleared = (await this.accounts.clearPasswordLock(current.environmentId, current.id, accountToo, now)) ?? notFound();
      await this.recordCause(cause, cleared, context);
      if (accountToo) await this.recordUnlock('password', cleared, context, cause.accountUnlocked);
      return cleared;
    });
  }

  /**
   * Counts one failed MFA check; `cause` (given the failure) is recorded, and USER.LOCKED when this
   * failure reached the limit. Null, with nothing changed or recorded, while the account is locked.
   */
  countMfaFailure(
    environmentId: string,
    userId: string,
    lockout: Lockout,
    context: RequestContext,
    cause: (failure: MfaFailure) => Cause,
  ): Promise<MfaFailure | null> {
    return this.transactions.run(async () => {
      const now = new Date();
      const failure = await this.accounts.recordMfaFailure(environmentId, userId, lockout.failureCount, lockEnd(now, lockout), now);
      if (!failure) return null;
      await this.recordCause(cause(failure), failure.subject, context);
      if (failure.locked) {
        const until = failure.unlockAt ? ` until ${failure.unlockAt.toISOString()}` : '';
        const description = `Account locked by the MFA lockout after ${failure.failures} failed OTP checks${until}`;
        await this.recordLock('mfa', failure.subject, context, description);
      }
      return failure;
    });
  }

  /** Resets the MFA failure count after a good code and records `cause`; null (nothing recorded) while the account is locked. */
  clearMfaFailures(environmentId: string, userId: string, context: RequestContext, cause: Cause): Promise<EventSubject | null> {
    return this.transactions.run(async () => {
      const subject = await this.accounts.clearMfaFailures(environmentId, userId, new Date());
      if (subject) await this.recordCause(cause, subject, context);
      return subject;
    });
  }

  /**
   * Persists the end of one user's expired lock of `reason`, with its automatic USER.UNLOCKED, for a
   * request that must count on the released state (the OTP check). The expiry is the cause, so the
   * event has no client actor; it carries the request's correlation id. False when there was nothing to release.
   */
  releaseIfExpired(environmentId: string, userId: string, reason: LockReason, now: Date, correlationId: string): Promise<boolean> {
    return this.transactions.run(async () => {
      const [lock] = await this.accounts.releaseExpired(now, 1, { environmentId, userId, reason });
      if (!lock) return false;
      await this.recordUnlock('expired', lock.user, { correlationId }, automaticUnlockDescription(lock));
      return true;
    });
  }

  /**
   * Unlocks up to a batch of expired locks and records one USER.UNLOCKED for each, in one
   * transaction: the events commit with the unlocks or not at all, and the claimed rows stay
   * locked against other sweepers and requests until then.
   */
  sweep(now: Date): Promise<SweepResult> {
    const context = { correlationId: randomUUID() };
    return this.transactions.run(async () => {
      const expired = await this.accounts.releaseExpired(now, this.config.lockSweepBatchSize);
      for (const lock of expired) await this.recordUnlock('expired', lock.user, context, automaticUnlockDescription(lock));
      return { unlocked: expired.length, correlationId: context.correlationId };
    });
  }

  private async existing(environmentId: string, userId: string): Promise<User> {
    return (await this.users.findById(environmentId, userId)) ?? notFound();
  }

  private recordCause({ type, description, status }: Cause, subject: EventSubject, context: EventContext): Promise<unknown> {
    return this.events.record({ type, subject, context, description, status });
  }

  private async recordLock(cause: LockCause, subject: EventSubject, context: EventContext, description: string): Promise<void> {
    await this.events.record({ type: 'USER.LOCKED', subject, context, description });
    this.transactions.afterCommit(() => this.metrics.accountLocked(cause));
  }

  private async recordUnlock(cause: UnlockCause, subject: EventSubject, context: EventContext, description: string): Promise<void> {
    await this.events.record({ type: 'USER.UNLOCKED', subject, context, description });
    this.transactions.afterCommit(() => this.metrics.accountsUnlocked(cause));
  }
}

function notFound(): never {
  throw new UserNotFound();
}
