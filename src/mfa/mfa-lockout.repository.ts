import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { EventSubject } from '../events/event-catalog.js';
import { Prisma } from '../generated/prisma/client.js';
import type { LockState } from '../users/user.js';
import type { MfaFailure } from './mfa-lockout.js';

interface FailureRow extends EventSubject {
  failures: number;
  locked: boolean;
  unlockAt: Date | null;
}

/**
 * The MFA failure counter and the MFA lock on the `User` row. Each change is one statement whose
 * WHERE carries the rule, so concurrent checks (on any number of instances) queue on the row lock
 * and Postgres re-evaluates the rule against the row as the previous check left it.
 */
@Injectable()
export class MfaLockoutRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /**
   * Counts one failed check and, when the count reaches `limit`, locks the account until
   * `lockUntil`, in one UPDATE. An account locked at `now` is not touched (null). A locked row is
   * never counted again, so of any burst exactly one failure takes the count to the limit, and
   * `locked` (the new count is at the limit) is true for that statement only.
   */
  async recordFailure(environmentId: string, userId: string, limit: number, lockUntil: Date, now: Date): Promise<MfaFailure | null> {
    const reaches = Prisma.sql`"mfaFailureCount" + 1 >= ${limit}::int`;
    const [row] = await this.txHost.tx.$queryRaw<FailureRow[]>`
      UPDATE "User" SET
        "mfaFailureCount" = "mfaFailureCount" + 1,
        "accountStatus" = CASE WHEN ${reaches} THEN 'LOCKED'::"AccountStatus" ELSE "accountStatus" END,
        "lockReason" = CASE WHEN ${reaches} THEN 'MFA'::"LockReason" ELSE "lockReason" END,
        "lockedAt" = CASE WHEN ${reaches} THEN ${now}::timestamptz ELSE "lockedAt" END,
        "unlockAt" = CASE WHEN ${reaches} THEN ${lockUntil}::timestamptz ELSE "unlockAt" END,
        "updatedAt" = CASE WHEN ${reaches} THEN ${now}::timestamptz ELSE "updatedAt" END
      WHERE "id" = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid AND ${notLockedAt(now)}
      RETURNING "id", "username", "environmentId", "populationId", "mfaFailureCount" AS "failures",
        "mfaFailureCount" >= ${limit}::int AS "locked", "unlockAt"`;
    if (!row) return null;
    const { failures, locked, unlockAt, ...subject } = row;
    return { subject, failures, locked, unlockAt: locked ? unlockAt : null };
  }

  /** Sets the counter to 0 after a good code; null (nothing changed) when the account is locked at `now`. */
  async resetFailures(environmentId: string, userId: string, now: Date): Promise<EventSubject | null> {
    const [row] = await this.txHost.tx.$queryRaw<EventSubject[]>`
      UPDATE "User" SET "mfaFailureCount" = 0
      WHERE "id" = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid AND ${notLockedAt(now)}
      RETURNING "id", "username", "environmentId", "populationId"`;
    return row ?? null;
  }

  async findLockState(environmentId: string, userId: string): Promise<LockState | null> {
    const row = await this.txHost.tx.user.findFirst({
      where: { id: userId, environmentId },
      select: { accountStatus: true, lockReason: true, lockedAt: true, unlockAt: true },
    });
    return row ? { status: row.accountStatus, reason: row.lockReason, lockedAt: row.lockedAt, unlockAt: row.unlockAt } : null;
  }
}

/** Not effectively locked: a timed lock whose unlockAt has passed no longer counts. */
function notLockedAt(now: Date): Prisma.Sql {
  return Prisma.sql`NOT ("accountStatus" = 'LOCKED' AND ("unlockAt" IS NULL OR "unlockAt" > ${now}::timestamptz))`;
}
