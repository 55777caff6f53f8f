import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import { Prisma, type Group as GroupRow } from '../generated/prisma/client.js';
import type { Group, GroupFields } from './group.js';

export interface GroupPage {
  groups: Group[];
  total: number;
  hasMore: boolean;
}

/** Any pair will do as long as no other advisory lock of the service uses the class 4_711. */
const GROUPS_LOCK_CLASS = 4711;

/** Groups themselves: their rows, names and counts. Memberships are in MembershipsRepository. */
@Injectable()
export class GroupsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /**
   * Serialises the group writes of one environment until the transaction ends: the name rules span
   * two scopes and the nesting rules a whole graph, which no single index can check.
   */
  async lockEnvironment(environmentId: string): Promise<void> {
    await this.txHost.tx.$executeRaw`SELECT pg_advisory_xact_lock(${GROUPS_LOCK_CLASS}::int, hashtext(${environmentId}))`;
  }

  /**
   * The group whose name a group of `populationId` (null: environment-wide) may not take: PingOne
   * reuses a name across populations, but never between a population's group and an environment's.
   */
  async nameHolder(environmentId: string, populationId: string | null, name: string, exceptId?: string): Promise<string | null> {
    const row = await this.txHost.tx.group.findFirst({
      where: {
        environmentId,
        name,
        ...(populationId ? { OR: [{ populationId }, { populationId: null }] } : {}),
        ...(exceptId ? { NOT: { id: exceptId } } : {}),
      },
      select: { id: true },
    });
    return row?.id ?? null;
  }

  async populationExists(environmentId: string, populationId: string): Promise<boolean> {
    return (await this.txHost.tx.population.count({ where: { environmentId, id: populationId } })) === 1;
  }

  async create(environmentId: string, id: string, populationId: string | null, fields: GroupFields): Promise<Group> {
    const row = await this.txHost.tx.group.create({
      data: { id, environmentId, populationId, scopeId: populationId ?? environmentId, ...columns(fields) },
    });
    return toGroup(row);
  }

  async findById(environmentId: string, id: string): Promise<Group | null> {
    const row = await this.txHost.tx.group.findFirst({ where: { environmentId, id } });
    return row ? toGroup(row) : null;
  }

  async update(environmentId: string, id: string, fields: Partial<GroupFields>): Promise<Group | null> {
    const [row] = await this.txHost.tx.group.updateManyAndReturn({ where: { environmentId, id }, data: columns(fields) });
    return row ? toGroup(row) : null;
  }

  /** Its memberships and nestings go with it (foreign keys with ON DELETE CASCADE). */
  async delete(environmentId: string, id: string): Promise<Group | null> {
    const [row] = await this.txHost.tx.group.findMany({ where: { environmentId, id }, take: 1 });
    if (!row) return null;
    const { count } = await this.txHost.tx.group.deleteMany({ where: { environmentId, id } });
    return count === 1 ? toGroup(row) : null;
  }

  /** `populationIds`: a population-scoped caller sees the groups of its populations and the environment's. */
  async list(
    environmentId: string,
    where: Prisma.GroupWhereInput | undefined,
    limit: number,
    afterId?: string,
    populationIds?: readonly string[],
  ): Promise<GroupPage> {
    const scope: Prisma.GroupWhereInput = {
      environmentId,
      ...(populationIds ? { OR: [{ populationId: null }, { populationId: { in: [...populationIds] } }] } : {}),
      ...(where ? { AND: [where] } : {}),
    };
    const [rows, total] = await Promise.all([
      this.txHost.tx.group.findMany({
        where: afterId ? { AND: [scope, { id: { gt: afterId } }] } : scope,
        orderBy: { id: 'asc' },
        take: limit + 1,
      }),
      this.txHost.tx.group.count({ where: scope }),
    ]);
    return { groups: rows.slice(0, limit).map(toGroup), total, hasMore: rows.length > limit };
  }

  /** Direct users and directly nested groups of each group, in two grouped counts. */
  async directCounts(groupIds: readonly string[]): Promise<Map<string, { users: number; groups: number }>> {
    const counts = new Map(groupIds.map((id) => [id, { users: 0, groups: 0 }]));
    if (groupIds.length === 0) return counts;
    const [users, groups] = await Promise.all([
      this.txHost.tx.groupMembership.groupBy({ by: ['groupId'], where: { groupId: { in: [...groupIds] } }, _count: { _all: true } }),
      this.txHost.tx.groupNesting.groupBy({ by: ['parentId'], where: { parentId: { in: [...groupIds] } }, _count: { _all: true } }),
    ]);
    for (const u of users) counts.get(u.groupId)!.users = u._count._all;
    for (const g of groups) counts.get(g.parentId)!.groups = g._count._all;
    return counts;
  }

  /** Distinct users of the group and of the groups nested in it at any depth. */
  async totalUsers(groupId: string): Promise<number> {
    const [row] = await this.txHost.tx.$queryRaw<Array<{ total: bigint }>>`
      WITH RECURSIVE below(id) AS (
        SELECT ${groupId}::uuid
        UNION
        SELECT n."groupId" FROM "GroupNesting" n JOIN below ON n."parentId" = below.id
      )
      SELECT count(DISTINCT m."userId") AS total FROM "GroupMembership" m WHERE m."groupId" IN (SELECT id FROM below)`;
    return Number(row?.total ?? 0);
  }
}

/** customData null clears the column (SQL NULL, not JSON null). */
function columns<F extends Partial<GroupFields>>(
  fields: F,
): Omit<F, 'customData'> & { customData?: Prisma.InputJsonObject | typeof Prisma.DbNull } {
  const { customData, ...rest } = fields;
  if (customData === undefined) return rest;
  return { ...rest, customData: customData === null ? Prisma.DbNull : (customData as Prisma.InputJsonObject) };
}

export function toGroup(row: GroupRow): Group {
  return {
    id: row.id,
    environmentId: row.environmentId,
    populationId: row.populationId,
    name: row.name,
    description: row.description,
    externalId: row.externalId,
    customData: (row.customData as Record<string, unknown> | null) ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
