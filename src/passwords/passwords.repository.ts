import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import { type PasswordState, toUser, type User } from '../users/index.js';

export interface StoredPassword {
  user: User;
  hash: string | null;
}

/** Password hashes, their history and the password status. The only place that reads a password hash. */
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

  /** Locks the row for the rest of the transaction and returns its current state. */
  async lockRow(environmentId: string, userId: string): Promise<User | null> {
    const ids = await this.txHost.tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "User" WHERE id = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid FOR UPDATE`;
    if (ids.length === 0) return null;
    const row = await this.txHost.tx.user.findFirst({ where: { id: userId, environmentId } });
    return row ? toUser(row) : null;
  }

  /** Stores a new hash and remembers it in the history. */
  async setPassword(userId: string, hash: string, status: PasswordState['status'], now: Date): Promise<User> {
    const row = await this.txHost.tx.user.update({
      where: { id: userId },
      data: { passwordHash: hash, passwordStatus: status, passwordChangedAt: now, updatedAt: now },
    });
    await this.txHost.tx.passwordHistory.create({ data: { id: randomUUID(), userId, hash, createdAt: now } });
    return toUser(row);
  }

  /**
   * Replaces a hash with a stronger one of the same password, after a successful check, only if
   * the stored hash is still the one that was checked: a password changed in between stays. The
   * stored password is the same, so nothing visible changes and `updatedAt` stays.
   */
  async upgradeHash(userId: string, checkedHash: string, upgraded: string): Promise<boolean> {
    const count = await this.txHost.tx.$executeRaw`
      UPDATE "User" SET "passwordHash" = ${upgraded} WHERE id = ${userId}::uuid AND "passwordHash" = ${checkedHash}`;
    return count === 1;
  }

  async setStatus(userId: string, status: PasswordState['status']): Promise<User> {
    return toUser(await this.txHost.tx.user.update({ where: { id: userId }, data: { passwordStatus: status } }));
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
