import { Injectable } from '@nestjs/common';
import type { FilterNode } from '../common/filter/scim-filter.js';
import { TransactionHost } from '../database/transaction-host.js';
import { Prisma, type User as UserRow } from '../generated/prisma/client.js';
import { userFilterSql } from './user-filter.query.js';
import type { Address, ImportedState, ProfileChanges, User, UserProfile } from './user.js';
import { UsernameTaken } from './users.errors.js';

export interface UserPage {
  users: User[];
  total: number;
  hasMore: boolean;
}

/** Every column of a user but the password hash: what the list selects for `toUser`. */
const USER_COLUMNS = Prisma.raw(
  Object.values(Prisma.UserScalarFieldEnum)
    .filter((column) => column !== 'passwordHash')
    .map((column) => `"${column}"`)
    .join(', '),
);

/** Every read and write of users. Each state change is one statement, so races resolve in Postgres. */
@Injectable()
export class UsersRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** `imported`: what an import sets beyond the profile (each left out takes the column's default). */
  async create(environmentId: string, populationId: string, id: string, profile: UserProfile, imported: ImportedState = {}): Promise<User> {
    const row = await this.withUniqueUsername(environmentId, profile.username, () =>
      this.txHost.tx.user.create({ data: { ...toColumns(profile), ...imported, id, environmentId, populationId } }),
    );
    return toUser(row);
  }

  async findById(environmentId: string, id: string): Promise<User | null> {
    const row = await this.txHost.tx.user.findFirst({ where: { id, environmentId } });
    return row ? toUser(row) : null;
  }

  /**
   * One page in id order and the number of matches, as two statements at once. `populationIds`
   * narrows the list to those populations (a population-scoped caller's reach). Raw SQL because the
   * case-insensitive filters are conditions on lower(column), which Prisma's query objects cannot
   * write (they write ILIKE, which no btree serves): docs/user-filters.md.
   */
  async list(
    environmentId: string,
    filter: FilterNode | undefined,
    limit: number,
    afterId?: string,
    populationIds?: readonly string[],
  ): Promise<UserPage> {
    const conditions = [Prisma.sql`"environmentId" = ${environmentId}::uuid`];
    if (populationIds)
      conditions.push(
        populationIds.length > 0
          ? Prisma.sql`"populationId" IN (${Prisma.join(populationIds.map((id) => Prisma.sql`${id}::uuid`))})`
          : Prisma.sql`FALSE`,
      );
    if (filter) conditions.push(userFilterSql(filter, new Date()));
    const where = Prisma.join(conditions, ' AND ');
    const from = afterId ? Prisma.sql`${where} AND "id" > ${afterId}::uuid` : where;
    const [rows, [counted]] = await Promise.all([
      this.txHost.tx.$queryRaw<Array<Omit<UserRow, 'passwordHash'>>>`
        SELECT ${USER_COLUMNS} FROM "User" WHERE ${from} ORDER BY "id" LIMIT ${limit + 1}`,
      this.txHost.tx.$queryRaw<[{ total: number }]>`SELECT count(*)::int AS "total" FROM "User" WHERE ${where}`,
    ]);
    return { users: rows.slice(0, limit).map(toUser), total: counted.total, hasMore: rows.length > limit };
  }

  /** Writes the given attributes (all of them for a replace); null when the user does not exist. */
  async updateProfile(environmentId: string, id: string, changes: ProfileChanges, populationId?: string): Promise<User | null> {
    const write = () =>
      this.txHost.tx.user.updateManyAndReturn({
        where: { id, environmentId },
        data: { ...toColumns(changes), ...(populationId ? { populationId } : {}) },
      });
    const [row] = changes.username === undefined ? await write() : await this.withUniqueUsername(environmentId, changes.username, write);
    return row ? toUser(row) : null;
  }

  /** Deletes the user and returns it as it was; null when it did not exist (or a racing delete won). */
  async delete(environmentId: string, id: string): Promise<User | null> {
    const user = await this.findById(environmentId, id);
    if (!user) return null;
    const { count } = await this.txHost.tx.user.deleteMany({ where: { id, environmentId } });
    return count === 1 ? user : null;
  }

  /** Null when the user does not exist or already has this value (nothing changed). */
  async setEnabled(environmentId: string, id: string, enabled: boolean): Promise<User | null> {
    const [row] = await this.txHost.tx.user.updateManyAndReturn({
      where: { id, environmentId, enabled: !enabled },
      data: { enabled },
    });
    return row ? toUser(row) : null;
  }

  private withUniqueUsername<T>(environmentId: string, username: string, write: () => Promise<T>): Promise<T> {
    return this.txHost.withUniqueConstraint(write, async () => {
      const existing = await this.txHost.tx.user.findFirst({
        where: { environmentId, usernameLower: username.toLowerCase() },
        select: { id: true, populationId: true },
      });
      return new UsernameTaken(existing ?? undefined);
    });
  }
}

function toColumns(p: ProfileChanges): Prisma.UserUncheckedUpdateInput & Prisma.UserUncheckedCreateInput {
  const columns: Record<string, unknown> = {
    username: p.username,
    usernameLower: p.username?.toLowerCase(),
    email: p.email,
    mfaEnabled: p.mfaEnabled,
    nickname: p.nickname,
    title: p.title,
    type: p.type,
    locale: p.locale,
    preferredLanguage: p.preferredLanguage,
    timezone: p.timezone,
    mobilePhone: p.mobilePhone,
    primaryPhone: p.primaryPhone,
    externalId: p.externalId,
    photoHref: p.photoHref,
    address: p.address === null ? Prisma.DbNull : p.address,
    nameGiven: p.name?.given,
    nameFamily: p.name?.family,
    nameMiddle: p.name?.middle,
    nameFormatted: p.name?.formatted,
    nameHonorificPrefix: p.name?.honorificPrefix,
    nameHonorificSuffix: p.name?.honorificSuffix,
  };
  // Undefined means "leave as is" for a patch; Prisma skips undefined keys.
  return columns as Prisma.UserUncheckedUpdateInput & Prisma.UserUncheckedCreateInput;
}

export function toUser(row: Omit<UserRow, 'passwordHash'>): User {
  return {
    id: row.id,
    environmentId: row.environmentId,
    populationId: row.populationId,
    username: row.username,
    email: row.email,
    emailVerified: row.emailVerified,
    enabled: row.enabled,
    mfaEnabled: row.mfaEnabled,
    lock: { status: row.accountStatus, reason: row.lockReason, lockedAt: row.lockedAt, unlockAt: row.unlockAt },
    password: {
      status: row.passwordStatus,
      changedAt: row.passwordChangedAt,
      lockedAt: row.passwordLockedAt,
      unlockAt: row.passwordUnlockAt,
    },
    passwordFailureCount: row.passwordFailureCount,
    mfaFailureCount: row.mfaFailureCount,
    lifecycleStatus: row.lifecycleStatus,
    identityProviderType: row.identityProviderType,
    identityProviderId: row.identityProviderId,
    verifyStatus: row.verifyStatus,
    profile: {
      username: row.username,
      email: row.email,
      mfaEnabled: row.mfaEnabled,
      name: {
        given: row.nameGiven,
        family: row.nameFamily,
        middle: row.nameMiddle,
        formatted: row.nameFormatted,
        honorificPrefix: row.nameHonorificPrefix,
        honorificSuffix: row.nameHonorificSuffix,
      },
      nickname: row.nickname,
      title: row.title,
      type: row.type,
      locale: row.locale,
      preferredLanguage: row.preferredLanguage,
      timezone: row.timezone,
      mobilePhone: row.mobilePhone,
      primaryPhone: row.primaryPhone,
      externalId: row.externalId,
      photoHref: row.photoHref,
      address: row.address as Address | null,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
