import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import { Prisma } from '../generated/prisma/client.js';
import type { PasswordState, User } from '../users/user.js';
import { toUser } from '../users/users.repository.js';

export interface StoredPassword {
  user: User;
  hash: string | null;
}

export interface FailureOutcome {
  /** False when the password or the account was already locked: the attempt was not counted. */
  counted: boolean;
  failureCount: number;
  /** True for the one failure that reached the limit and locked the password and the account. */
  lockedNow: boolean;
}

/** Sets a lock only when this statement's count reaches the limit. */
const crossing = (limit: number) =>
  Prisma.sql`(CASE WHEN "passwordLockedAt" IS NOT NULL THEN 0 ELSE "passwordFailureCount" END) + 1 >= ${limit}`;

/** A password lock, or an account lock, that still holds at `now`. */
const lockedAt = (now: Date) => Prisma.sql`(
  ("passwordLockedAt" IS NOT NULL AND ("passwordUnlockAt" IS NULL OR "passwordUnlockAt" > ${now}::timestamptz))
  OR ("accountStatus" = 'LOCKED' AND ("unlockAt" IS NULL OR "unlockAt" > ${now}::timestamptz)))`;

/** Passwords and their lockout. The only place that reads a password hash. */
@Injectable()
export class PasswordsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** The user with the password hash, for a check or a change; null when the user does not exist. */
  async findWithHash(environmentId: string, userId: string): Promise<StoredPassword | null> {
    const row = await this.txHost.tx.user.findFirst({ where: { id: userId, environmentId }, omit: { passwordHash: false } });
    if (!row) return null;
    const { passwordHash, ...rest } = row;
    return { user: toUser(rest), hash: passwordHash };
  }

  /**
   * Counts one failed check in a single UPDATE, so concurrent failures on any number of instances
   * queue on the row: each adds exactly one, the one that reaches `limit` also locks the password
   * and the account (until now + duration), and any after it match nothing and count nothing.
   * An expired password lock restarts the count from zero.
   */
  async recordFailure(environmentId: string, userId: string, limit: number, durationSeconds: number, now: Date): Promise<FailureOutcome> {
    const unlockAt = new Date(now.getTime() + durationSeconds * 1000);
    const rows = await this.txHost.tx.$queryRaw<Array<{ passwordFailureCount: number; locked: boolean }>>`
      UPDATE "User" SET
        "passwordFailureCount" = (CASE WHEN "passwordLockedAt" IS NOT NULL THEN 0 ELSE "passwordFailureCount" END) + 1,
        "passwordLockedAt" = CASE WHEN ${crossing(limit)} THEN ${now}::timestamptz ELSE NULL END,
        "passwordUnlockAt" = CASE WHEN ${crossing(limit)} THEN ${unlockAt}::timestamptz ELSE NULL END,
        "accountStatus" = CASE WHEN ${crossing(limit)} THEN 'LOCKED'::"AccountStatus" ELSE "accountStatus" END,
        "lockReason" = CASE WHEN ${crossing(limit)} THEN 'PASSWORD'::"LockReason" ELSE "lockReason" END,
        "lockedAt" = CASE WHEN ${crossing(limit)} THEN ${now}::timestamptz ELSE "lockedAt" END,
        "unlockAt" = CASE WHEN ${crossing(limit)} THEN ${unlockAt}::timestamptz ELSE "unlockAt" END,
        "updatedAt" = ${now}::timestamptz
      WHERE id = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid AND NOT ${lockedAt(now)}
      RETURNING "passwordFailureCount", "passwordLockedAt" IS NOT NULL AS locked`;
    const [row] = rows;
    if (!row) return { counted: false, failureCount: limit, lockedNow: false };
    return { counted: true, failureCount: row.passwordFailureCount, lockedNow: row.locked };
  }

  /** Resets the failure count after a successful check; false if a lock won the race. */
  async recordSuccess(environmentId: string, userId: string, now: Date): Promise<boolean> {
    const count = await this.txHost.tx.$executeRaw`
      UPDATE "User" SET "passwordFailureCount" = 0, "passwordLockedAt" = NULL, "passwordUnlockAt" = NULL
      WHERE id = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid AND NOT ${lockedAt(now)}`;
    return count === 1;
  }

  /** Locks the row for the rest of the transaction and returns its current state. */
  async lockRow(environmentId: string, userId: string): Promise<User | null> {
    const ids = await this.txHost.tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "User" WHERE id = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid FOR UPDATE`;
    if (ids.length === 0) return null;
    const row = await this.txHost.tx.user.findFirst({ where: { id: userId, environmentId } });
    return row ? toUser(row) : null;
  }

  /** Stores a new hash, remembers it in the history, and optionally clears the password lockout. */
  async setPassword(
    userId: string,
    hash: string,
    status: PasswordState['status'],
    now: Date,
    options: { clearLockout: boolean; clearAccountLock: boolean },
  ): Promise<User> {
    const row = await this.txHost.tx.user.update({
      where: { id: userId },
      data: {
        passwordHash: hash,
        passwordStatus: status,
        passwordChangedAt: now,
        ...(options.clearLockout ? { passwordFailureCount: 0, passwordLockedAt: null, passwordUnlockAt: null } : {}),
        ...(options.clearAccountLock ? { accountStatus: 'OK', lockReason: null, lockedAt: null, unlockAt: null } : {}),
      },
    });
    await this.txHost.tx.passwordHistory.create({ data: { id: randomUUID(), userId, hash, createdAt: now } });
    return toUser(row);
  }

  /** Replaces a hash with a stronger one of the same password (after a successful check). */
  async upgradeHash(userId: string, hash: string): Promise<void> {
    await this.txHost.tx.user.update({ where: { id: userId }, data: { passwordHash: hash } });
  }

  async setStatus(userId: string, status: PasswordState['status']): Promise<User> {
    return toUser(await this.txHost.tx.user.update({ where: { id: userId }, data: { passwordStatus: status } }));
  }

  /** Clears the password lock, and the account lock too when the password lock was its only cause. */
  async clearPasswordLock(userId: string, clearAccountLock: boolean): Promise<User> {
    const row = await this.txHost.tx.user.update({
      where: { id: userId },
      data: {
        passwordFailureCount: 0,
        passwordLockedAt: null,
        passwordUnlockAt: null,
        ...(clearAccountLock ? { accountStatus: 'OK', lockReason: null, lockedAt: null, unlockAt: null } : {}),
      },
    });
    return toUser(row);
  }

  /** The most recent hashes within the retention period, newest first. */
  async recentHashes(userId: string, count: number, retentionDays: number | null, now: Date): Promise<string[]> {
    const since = retentionDays === null ? undefined : new Date(now.getTime() - retentionDays * 86_400_000);
    const rows = await this.txHost.tx.passwordHistory.findMany({
      where: { userId, ...(since ? { createdAt: { gte: since } } : {}) },
      orderBy: { createdAt: 'desc' },
      take: count,
      select: { hash: true },
    });
    return rows.map((r) => r.hash);
  }
}
