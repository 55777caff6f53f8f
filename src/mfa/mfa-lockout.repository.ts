import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { EventSubject } from '../events/event-catalog.js';
import { Prisma } from '../generated/prisma/client.js';
import type { LockState } from '../users/user.js';
import type { ExpiredMfaLock, MfaFailure } from './mfa-lockout.js';

interface FailureRow extends EventSubject {
  failures: number;
  locked: boolean;
  unlockAt: Date | null;
}

interface ReleasedRow extends EventSubject {
  unlockAt: Date;
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
   * Persists the end of the user's MFA lock once its `unlockAt` has passed, exactly as the lock
   * expiry sweeper writes it (docs/sweeper.md): account lock cleared, MFA counter to 0, and a
   * password lock that has expired too cleared with its counter. Done before counting, so that
   * failures after the expiry count from 0 and a later sweep does not forgive them.
   *
   * The claim takes the row lock (`FOR UPDATE`): when the sweeper or another check holds the row,
   * this waits, and Postgres re-checks the WHERE on the newest row version, so the release is
   * written once. Null when there was no expired MFA lock to release.
   */
  async releaseExpiredMfaLock(environmentId: string, userId: string, now: Date): Promise<ExpiredMfaLock | null> {
    const [row] = await this.txHost.tx.$queryRaw<ReleasedRow[]>`
      WITH expired AS MATERIALIZED (
        SELECT "id", "unlockAt",
               ("passwordLockedAt" IS NOT NULL AND "passwordUnlockAt" <= ${now}::timestamptz) AS "passwordLockExpired"
        FROM "User"
        WHERE "id" = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid
          AND "accountStatus" = 'LOCKED' AND "lockReason" = 'MFA' AND "unlockAt" <= ${now}::timestamptz
        FOR UPDATE
      )
      UPDATE "User" AS u SET
        "accountStatus" = 'OK',
        "lockReason" = NULL,
        "lockedAt" = NULL,
        "unlockAt" = NULL,
        "mfaFailureCount" = 0,
        "passwordFailureCount" = CASE WHEN e."passwordLockExpired" THEN 0 ELSE u."passwordFailureCount" END,
        "passwordLockedAt" = CASE WHEN e."passwordLockExpired" THEN NULL ELSE u."passwordLockedAt" END,
        "passwordUnlockAt" = CASE WHEN e."passwordLockExpired" THEN NULL ELSE u."passwordUnlockAt" END,
        "updatedAt" = ${now}::timestamptz
      FROM expired AS e
      WHERE u."id" = e."id"
      RETURNING u."id", u."username", u."environmentId", u."populationId", e."unlockAt"`;
    if (!row) return null;
    const { unlockAt, ...subject } = row;
    return { subject, unlockAt };
  }

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
