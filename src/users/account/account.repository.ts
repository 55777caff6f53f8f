import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host.js';
import type { EventSubject } from '../../events/event-catalog.js';
import type { UserEventDraft } from '../../events/outbox.writer.js';
import { Prisma, type User as UserRow } from '../../generated/prisma/client.js';
import type { LockReason, LockState, User } from '../user.js';
import { toUser } from '../users.repository.js';
import { accountLockExpired, accountLockHolds, passwordLockExpired, passwordLockHolds } from './lock.query.js';

/** One counted password failure, as the database decided it. */
export interface PasswordFailure {
  /** False when the password or the account was already locked: the attempt was not counted. */
  counted: boolean;
  failureCount: number;
  /** True for the one failure that reached the limit and locked the password and the account. */
  lockedNow: boolean;
}

/** One counted MFA failure, as the database decided it. */
export interface MfaFailure {
  subject: EventSubject;
  /** The user's failure count after this failure. */
  failures: number;
  /** True when this failure reached the limit and locked the account. */
  locked: boolean;
  unlockAt: Date | null;
}

/** A timed lock whose end has just been persisted, with the user it belonged to. */
export interface ExpiredLock {
  user: EventSubject;
  reason: LockReason | null;
  unlockAt: Date;
}

interface MfaFailureRow extends EventSubject {
  failures: number;
  locked: boolean;
  unlockAt: Date | null;
}

interface ExpiredLockRow extends EventSubject {
  lockReason: LockReason | null;
  unlockAt: Date;
}

/** Every column of a user but the password hash, as `u."column"`: what a statement returns for `toUser`. */
const USER_COLUMNS = Prisma.raw(
  Object.values(Prisma.UserScalarFieldEnum)
    .filter((column) => column !== 'passwordHash')
    .map((column) => `u."${column}"`)
    .join(', '),
);

/** Every column of the account lock and of the password lock, cleared. */
const NO_ACCOUNT_LOCK = { accountStatus: 'OK', lockReason: null, lockedAt: null, unlockAt: null } as const;
const NO_PASSWORD_LOCK = { passwordFailureCount: 0, passwordLockedAt: null, passwordUnlockAt: null } as const;

/**
 * The only writer of the account state: `accountStatus`, the lock reason, `lockedAt`, `unlockAt`,
 * the password lock and the password and MFA failure counters. Each change is one statement whose
 * WHERE carries the rule, so concurrent requests on any number of instances queue on the row and
 * Postgres re-evaluates the rule against the row as the previous statement left it.
 *
 * `updatedAt` moves when a lock is placed or lifted (by a request, or by the sweeper when it
 * persists an expiry) and when a password lock is cleared; never for a counter alone
 * (docs/lockout.md, "When updatedAt moves").
 */
@Injectable()
export class AccountRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async findLockState(environmentId: string, userId: string): Promise<LockState | null> {
    const row = await this.txHost.tx.user.findFirst({
      where: { id: userId, environmentId },
      select: { accountStatus: true, lockReason: true, lockedAt: true, unlockAt: true },
    });
    return row ? { status: row.accountStatus, reason: row.lockReason, lockedAt: row.lockedAt, unlockAt: row.unlockAt } : null;
  }

  /**
   * The administrator's unlock and its USER.UNLOCKED in ONE statement (one round trip, no
   * transaction to open): a data-modifying CTE clears every lock and counter of an account whose
   * lock holds at `now`, and inserts the event only for the row it changed, so the event exists if
   * and only if the transition does. Racing unlocks queue on the row; the first changes it and the
   * rest match nothing (null). Null too when the account was not locked or does not exist.
   */
  async unlockRecording(environmentId: string, id: string, now: Date, event: UserEventDraft): Promise<User | null> {
    const set = Prisma.sql`"accountStatus" = 'OK', "lockReason" = NULL, "lockedAt" = NULL, "unlockAt" = NULL,
      "passwordLockedAt" = NULL, "passwordUnlockAt" = NULL, "passwordFailureCount" = 0, "mfaFailureCount" = 0,
      "updatedAt" = ${now}::timestamptz`;
    return this.changeRecording(environmentId, id, set, accountLockHolds(now), event);
  }

  /** The lock (of an account not locked at `now`) and its USER.LOCKED in one statement, as `unlockRecording`. */
  async lockRecording(
    environmentId: string,
    id: string,
    reason: LockReason,
    unlockAt: Date | null,
    now: Date,
    event: UserEventDraft,
  ): Promise<User | null> {
    const set = Prisma.sql`"accountStatus" = 'LOCKED', "lockReason" = ${reason}::"LockReason", "lockedAt" = ${now}::timestamptz,
      "unlockAt" = ${unlockAt}::timestamptz, "updatedAt" = ${now}::timestamptz`;
    return this.changeRecording(environmentId, id, set, Prisma.sql`NOT ${accountLockHolds(now)}`, event);
  }

  /** UPDATE ... WHERE `rule` and INSERT of the event for the changed row, in one statement. */
  private async changeRecording(
    environmentId: string,
    id: string,
    set: Prisma.Sql,
    rule: Prisma.Sql,
    event: UserEventDraft,
  ): Promise<User | null> {
    const [row] = await this.txHost.tx.$queryRaw<Array<Omit<UserRow, 'passwordHash'>>>`
      WITH changed AS (
        UPDATE "User" AS u SET ${set}
        WHERE u."id" = ${id}::uuid AND u."environmentId" = ${environmentId}::uuid AND ${rule}
        RETURNING ${USER_COLUMNS}
      ), recorded AS (
        INSERT INTO "OutboxEvent" ("id", "environmentId", "type", "payload", "createdAt", "resourceId", "populationId",
          "correlationId", "actorClientId", "resultStatus")
        SELECT ${event.id}::uuid, u."environmentId", ${event.type},
          ${JSON.stringify(event.activity)}::jsonb || jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
            'id', u."id", 'name', u."username", 'type', 'USER', 'href', ${event.usersHref(environmentId)} || u."id",
            'environment', jsonb_build_object('id', u."environmentId"), 'population', jsonb_build_object('id', u."populationId")))),
          ${event.createdAt}::timestamptz, u."id", u."populationId", ${event.correlationId}, ${event.actorClientId}, ${event.status}
        FROM changed AS u
      )
      SELECT * FROM changed`;
    return row ? toUser(row) : null;
  }

  /**
   * Counts one failed password check in a single UPDATE: each concurrent failure adds exactly one,
   * the one that reaches `limit` also locks the password and the account (until now + duration),
   * and any after it match nothing and count nothing. An expired password lock restarts the count.
   */
  async recordPasswordFailure(environmentId: string, userId: string, limit: number, unlockAt: Date, now: Date): Promise<PasswordFailure> {
    const crossing = Prisma.sql`(CASE WHEN "passwordLockedAt" IS NOT NULL THEN 0 ELSE "passwordFailureCount" END) + 1 >= ${limit}`;
    const [row] = await this.txHost.tx.$queryRaw<Array<{ passwordFailureCount: number; locked: boolean }>>`
      UPDATE "User" SET
        "passwordFailureCount" = (CASE WHEN "passwordLockedAt" IS NOT NULL THEN 0 ELSE "passwordFailureCount" END) + 1,
        "passwordLockedAt" = CASE WHEN ${crossing} THEN ${now}::timestamptz ELSE NULL END,
        "passwordUnlockAt" = CASE WHEN ${crossing} THEN ${unlockAt}::timestamptz ELSE NULL END,
        "accountStatus" = CASE WHEN ${crossing} THEN 'LOCKED'::"AccountStatus" ELSE "accountStatus" END,
        "lockReason" = CASE WHEN ${crossing} THEN 'PASSWORD'::"LockReason" ELSE "lockReason" END,
        "lockedAt" = CASE WHEN ${crossing} THEN ${now}::timestamptz ELSE "lockedAt" END,
        "unlockAt" = CASE WHEN ${crossing} THEN ${unlockAt}::timestamptz ELSE "unlockAt" END,
        "updatedAt" = CASE WHEN ${crossing} THEN ${now}::timestamptz ELSE "updatedAt" END
      WHERE id = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid
        AND NOT (${passwordLockHolds(now)} OR ${accountLockHolds(now)})
      RETURNING "passwordFailureCount", "passwordLockedAt" IS NOT NULL AS locked`;
    if (!row) return { counted: false, failureCount: limit, lockedNow: false };
    return { counted: true, failureCount: row.passwordFailureCount, lockedNow: row.locked };
  }

  /** Resets the password failure count after a successful check; false if a lock won the race. */
  async clearPasswordFailures(environmentId: string, userId: string, now: Date): Promise<boolean> {
    const count = await this.txHost.tx.$executeRaw`
      UPDATE "User" SET "passwordFailureCount" = 0, "passwordLockedAt" = NULL, "passwordUnlockAt" = NULL
      WHERE id = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid
        AND NOT (${passwordLockHolds(now)} OR ${accountLockHolds(now)})`;
    return count === 1;
  }

  /**
   * Clears the password lock and its counter, and the account lock too when `withAccountLock`
   * (the caller holds the row, see PasswordsRepository.lockRow, and has decided it from the rule).
   */
  async clearPasswordLock(environmentId: string, userId: string, withAccountLock: boolean, now: Date): Promise<User | null> {
    const [row] = await this.txHost.tx.user.updateManyAndReturn({
      where: { id: userId, environmentId },
      data: { ...NO_PASSWORD_LOCK, ...(withAccountLock ? NO_ACCOUNT_LOCK : {}), updatedAt: now },
    });
    return row ? toUser(row) : null;
  }

  /**
   * Counts one failed MFA check and, when the count reaches `limit`, locks the account until
   * `lockUntil`, in one UPDATE. An account locked at `now` is not touched (null). A locked row is
   * never counted again, so of any burst exactly one failure takes the count to the limit, and
   * `locked` is true for that statement only.
   */
  async recordMfaFailure(environmentId: string, userId: string, limit: number, lockUntil: Date, now: Date): Promise<MfaFailure | null> {
    const reaches = Prisma.sql`"mfaFailureCount" + 1 >= ${limit}::int`;
    const [row] = await this.txHost.tx.$queryRaw<MfaFailureRow[]>`
      UPDATE "User" SET
        "mfaFailureCount" = "mfaFailureCount" + 1,
        "accountStatus" = CASE WHEN ${reaches} THEN 'LOCKED'::"AccountStatus" ELSE "accountStatus" END,
        "lockReason" = CASE WHEN ${reaches} THEN 'MFA'::"LockReason" ELSE "lockReason" END,
        "lockedAt" = CASE WHEN ${reaches} THEN ${now}::timestamptz ELSE "lockedAt" END,
        "unlockAt" = CASE WHEN ${reaches} THEN ${lockUntil}::timestamptz ELSE "unlockAt" END,
        "updatedAt" = CASE WHEN ${reaches} THEN ${now}::timestamptz ELSE "updatedAt" END
      WHERE "id" = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid AND NOT ${accountLockHolds(now)}
      RETURNING "id", "username", "environmentId", "populationId", "mfaFailureCount" AS "failures",
        "mfaFailureCount" >= ${limit}::int AS "locked", "unlockAt"`;
    if (!row) return null;
    const { failures, locked, unlockAt, ...subject } = row;
    return { subject, failures, locked, unlockAt: locked ? unlockAt : null };
  }

  /** Sets the MFA counter to 0 after a good code; null (nothing changed) when the account is locked at `now`. */
  async clearMfaFailures(environmentId: string, userId: string, now: Date): Promise<EventSubject | null> {
    const [row] = await this.txHost.tx.$queryRaw<EventSubject[]>`
      UPDATE "User" SET "mfaFailureCount" = 0
      WHERE "id" = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid AND NOT ${accountLockHolds(now)}
      RETURNING "id", "username", "environmentId", "populationId"`;
    return row ?? null;
  }

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
  async releaseExpired(
    now: Date,
    limit: number,
    only?: { environmentId: string; userId: string; reason: LockReason },
  ): Promise<ExpiredLock[]> {
    const scope = only
      ? Prisma.sql`AND "id" = ${only.userId}::uuid AND "environmentId" = ${only.environmentId}::uuid AND "lockReason" = ${only.reason}::"LockReason"`
      : Prisma.empty;
    const rows = await this.txHost.tx.$queryRaw<ExpiredLockRow[]>`
      WITH expired AS MATERIALIZED (
        SELECT "id", "lockReason", "unlockAt", ${passwordLockExpired(now)} AS "passwordLockExpired"
        FROM "User"
        WHERE ${accountLockExpired(now)} ${scope}
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
