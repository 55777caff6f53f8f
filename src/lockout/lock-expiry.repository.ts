import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { EventSubject } from '../events/event-catalog.js';
import { Prisma } from '../generated/prisma/client.js';
import type { LockReason } from '../users/user.js';

/** A timed lock the sweeper has just persisted as unlocked, with the user it belonged to. */
export interface ExpiredLock {
  user: EventSubject;
  reason: LockReason | null;
  unlockAt: Date;
}

interface ExpiredLockRow extends EventSubject {
  lockReason: LockReason | null;
  unlockAt: Date;
}

/** The sweeper's SQL: claiming expired timed locks and persisting their end. */
@Injectable()
export class LockExpiryRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /**
   * Unlocks up to `limit` accounts whose timed lock ended at or before `now`, in one statement,
   * and returns them with the lock they had.
   *
   * The claim is `FOR UPDATE SKIP LOCKED`: rows another sweeper (in this or any other instance) or
   * a request holds are left to that holder, so no two claimers ever get the same lock and none
   * waits on another. Postgres re-checks the WHERE on the newest row version before it locks, so a
   * row an admin unlocked or locked again meanwhile is no longer matched. MATERIALIZED keeps the
   * claim a single evaluation, so LIMIT bounds the rows locked.
   *
   * What else is cleared depends on the layer. A password lock is stored in its own columns and
   * is cleared, with its failure counter, once it has expired, whatever the account's lock reason
   * (it can outlive the PASSWORD account lock only after expiring). When it is no longer stored,
   * the password layer has already started a new count since the expiry, and that count stays.
   * An MFA lockout clears the MFA counter; an administrator's lock clears nothing else.
   *
   * `only` narrows the claim to one user's lock of one reason, for a request that must see the
   * expiry persisted before it counts (the OTP check). If a sweeper holds that row, SKIP LOCKED
   * leaves the release to it, and the request's own UPDATE then waits for the row and counts on
   * the released version.
   */
  async unlockExpired(
    now: Date,
    limit: number,
    only?: { environmentId: string; userId: string; reason: LockReason },
  ): Promise<ExpiredLock[]> {
    const scope = only
      ? Prisma.sql`AND "id" = ${only.userId}::uuid AND "environmentId" = ${only.environmentId}::uuid AND "lockReason" = ${only.reason}::"LockReason"`
      : Prisma.empty;
    const rows = await this.txHost.tx.$queryRaw<ExpiredLockRow[]>`
      WITH expired AS MATERIALIZED (
        SELECT "id", "lockReason", "unlockAt",
               ("passwordLockedAt" IS NOT NULL AND "passwordUnlockAt" <= ${now}::timestamptz) AS "passwordLockExpired"
        FROM "User"
        WHERE "accountStatus" = 'LOCKED' AND "unlockAt" IS NOT NULL AND "unlockAt" <= ${now}::timestamptz ${scope}
        ORDER BY "unlockAt"
        LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED
      )
      UPDATE "User" AS u SET
        "accountStatus" = 'OK',
        "lockReason" = NULL,
        "lockedAt" = NULL,
        "unlockAt" = NULL,
        "passwordFailureCount" = CASE WHEN e."passwordLockExpired" THEN 0 ELSE u."passwordFailureCount" END,
        "passwordLockedAt" = CASE WHEN e."passwordLockExpired" THEN NULL ELSE u."passwordLockedAt" END,
        "passwordUnlockAt" = CASE WHEN e."passwordLockExpired" THEN NULL ELSE u."passwordUnlockAt" END,
        "mfaFailureCount" = CASE WHEN e."lockReason" = 'MFA' THEN 0 ELSE u."mfaFailureCount" END,
        "updatedAt" = ${now}::timestamptz
      FROM expired AS e
      WHERE u."id" = e."id"
      RETURNING u."id", u."environmentId", u."populationId", u."username", e."lockReason", e."unlockAt"`;
    return rows.map((row) => ({
      user: { id: row.id, username: row.username, environmentId: row.environmentId, populationId: row.populationId },
      reason: row.lockReason,
      unlockAt: row.unlockAt,
    }));
  }
}
