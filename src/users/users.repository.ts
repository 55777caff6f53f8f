import { Injectable } from '@nestjs/common';
import type { FilterNode } from '../common/filter/scim-filter.js';
import { TransactionHost } from '../database/transaction-host.js';
import { Prisma, type User as UserRow } from '../generated/prisma/client.js';
import { type GroupClosures, groupsNamedIn, userFilterSql } from './user-filter.query.js';
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
    groups?: GroupClosures,
  ): Promise<UserPage> {
    const conditions = [Prisma.sql`"environmentId" = ${environmentId}::uuid`];
    if (populationIds)
      conditions.push(
        populationIds.length > 0
          ? Prisma.sql`"populationId" IN (${Prisma.join(populationIds.map((id) => Prisma.sql`${id}::uuid`))})`
          : Prisma.sql`FALSE`,
      );
    if (filter) conditions.push(userFilterSql(filter, new Date(), groups));
    const where = Prisma.join(conditions, ' AND ');
    const members = filter && !populationIds ? onlyMembersOf(filter, groups) : undefined;
    const from = afterId ? Prisma.sql`${where} AND "id" > ${afterId}::uuid` : where;
    const [rows, total] = await Promise.all([
      members
        ? this.pageOfMembers(environmentId, members, limit, afterId)
        : this.txHost.tx.$queryRaw<Array<Omit<UserRow, 'passwordHash'>>>`
            SELECT ${USER_COLUMNS} FROM "User" WHERE ${from} ORDER BY "id" LIMIT ${limit + 1}`,
      members
        ? this.countMembers(members)
        : this.txHost.tx.$queryRaw<[{ total: number }]>`SELECT count(*)::int AS "total" FROM "User" WHERE ${where}`.then(
            ([row]) => row.total,
          ),
    ]);
    return { users: rows.slice(0, limit).map(toUser), total, hasMore: rows.length > limit };
  }

  /**
   * Writes the given attributes (all of them for a replace); null when the user does not exist. A
   * user that moves to another population leaves the groups bound to the population it left, as in
   * PingOne (docs/groups.md); call it inside a transaction so both happen or neither.
   */
  async updateProfile(environmentId: string, id: string, changes: ProfileChanges, populationId?: string): Promise<User | null> {
    const write = () =>
      this.txHost.tx.user.updateManyAndReturn({
        where: { id, environmentId },
        data: { ...toColumns(changes), ...(populationId ? { populationId } : {}) },
      });
    const [row] = changes.username === undefined ? await write() : await this.withUniqueUsername(environmentId, changes.username, write);
    if (row && populationId) {
      await this.txHost.tx.groupMembership.deleteMany({
        where: { userId: id, group: { populationId: { not: null }, NOT: { populationId } } },
      });
    }
    return row ? toUser(row) : null;
  }

  /**
   * One page of the distinct direct members of these groups, in id order, read from the membership
   * index: the ids first, then their rows. Filtered on "User" in id order instead, a page of a small
   * group walked users until it found a page of members (a third of the environment for a group of
   * 0.3 % of it: docs/groups.md, "Scale").
   */
  private pageOfMembers(environmentId: string, groupIds: readonly string[], limit: number, afterId?: string) {
    const after = afterId ? Prisma.sql`AND m."userId" > ${afterId}::uuid` : Prisma.empty;
    return this.txHost.tx.$queryRaw<Array<Omit<UserRow, 'passwordHash'>>>`
      SELECT ${USER_COLUMNS} FROM "User"
      WHERE "environmentId" = ${environmentId}::uuid AND "id" IN (
        SELECT DISTINCT m."userId" FROM "GroupMembership" m
        WHERE m."groupId" = ANY(${[...groupIds]}::uuid[]) ${after}
        ORDER BY m."userId" LIMIT ${limit + 1})
      ORDER BY "id"`;
  }

  /**
   * The distinct direct members of these groups, counted on the membership index alone. Postgres
   * would otherwise count a group's members by reading every user of the environment (a hash semi
   * join over a sequential scan: docs/groups.md, "Scale"); memberships only join users of their own
   * environment, so no user row needs reading.
   */
  private async countMembers(groupIds: readonly string[]): Promise<number> {
    const [row] = await this.txHost.tx.$queryRaw<Array<{ total: bigint }>>`
      SELECT count(DISTINCT m."userId") AS total FROM "GroupMembership" m WHERE m."groupId" = ANY(${[...groupIds]}::uuid[])`;
    return Number(row?.total ?? 0);
  }

  /** For each group id: that group and every group nested in it, at any depth (ids of other environments find nothing). */
  async groupClosures(environmentId: string, groupIds: readonly string[]): Promise<GroupClosures> {
    if (groupIds.length === 0) return new Map();
    const rows = await this.txHost.tx.$queryRaw<Array<{ root: string; id: string }>>`
      WITH RECURSIVE down(root, id) AS (
        SELECT g.id, g.id FROM "Group" g WHERE g."environmentId" = ${environmentId}::uuid AND g.id = ANY(${[...groupIds]}::uuid[])
        UNION
        SELECT down.root, n."groupId" FROM "GroupNesting" n JOIN down ON n."parentId" = down.id
      )
      SELECT root::text AS root, id::text AS id FROM down`;
    const closures = new Map<string, string[]>();
    for (const { root, id } of rows) closures.set(root, [...(closures.get(root) ?? []), id]);
    return closures;
  }

  /** Each user's groups, direct and through nesting, by name: for `include=memberOfGroupIDs,memberOfGroupNames`. */
  async groupsOfUsers(userIds: readonly string[]): Promise<Map<string, Array<{ id: string; name: string }>>> {
    const groups = new Map<string, Array<{ id: string; name: string }>>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return groups;
    const rows = await this.txHost.tx.$queryRaw<Array<{ userId: string; id: string; name: string }>>`
      WITH RECURSIVE up("userId", id) AS (
        SELECT m."userId", m."groupId" FROM "GroupMembership" m WHERE m."userId" = ANY(${[...userIds]}::uuid[])
        UNION
        SELECT up."userId", n."parentId" FROM "GroupNesting" n JOIN up ON n."groupId" = up.id
      )
      SELECT up."userId"::text AS "userId", g.id::text AS id, g.name FROM up JOIN "Group" g ON g.id = up.id ORDER BY g.name, g.id`;
    for (const row of rows) groups.get(row.userId)?.push({ id: row.id, name: row.name });
    return groups;
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

/** The groups whose members a filter that is nothing but `memberOfGroups[id eq "..."]` asks for. */
function onlyMembersOf(filter: FilterNode, groups: GroupClosures | undefined): readonly string[] | undefined {
  if (filter.kind !== 'compare' || filter.attribute !== 'memberOfGroups.id') return undefined;
  return groupsNamedIn(filter).flatMap((id) => groups?.get(id) ?? []);
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
