import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import type { LockReason } from '../users/user.js';
import { LockExpiryRepository, type ExpiredLock } from './lock-expiry.repository.js';

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

/** Persists the end of timed locks that have expired, one batch per call. */
@Injectable()
export class LockExpiryService {
  constructor(
    private readonly locks: LockExpiryRepository,
    private readonly events: OutboxWriter,
    private readonly transactions: TransactionHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Unlocks up to a batch of expired locks and records one USER.UNLOCKED for each, in one
   * transaction: the events commit with the unlocks or not at all, and the claimed rows stay
   * locked against other sweepers and requests until then. The service itself is the cause, so
   * the events carry no client actor.
   */
  /**
   * Persists the end of one user's expired lock of `reason`, with its automatic USER.UNLOCKED,
   * inside the caller's transaction. The expiry is the cause, so the event has no client actor;
   * it carries the caller's correlation id. False when there was nothing to release.
   */
  releaseIfExpired(environmentId: string, userId: string, reason: LockReason, now: Date, correlationId: string): Promise<boolean> {
    return this.transactions.run(async () => {
      const [lock] = await this.locks.unlockExpired(now, 1, { environmentId, userId, reason });
      if (!lock) return false;
      await this.events.record({
        type: 'USER.UNLOCKED',
        subject: lock.user,
        context: { correlationId },
        description: automaticUnlockDescription(lock),
      });
      return true;
    });
  }

  sweep(now: Date): Promise<SweepResult> {
    const context = { correlationId: randomUUID() };
    return this.transactions.run(async () => {
      const expired = await this.locks.unlockExpired(now, this.config.lockSweepBatchSize);
      for (const lock of expired) {
        await this.events.record({ type: 'USER.UNLOCKED', subject: lock.user, context, description: automaticUnlockDescription(lock) });
      }
      return { unlocked: expired.length, correlationId: context.correlationId };
    });
  }
}
