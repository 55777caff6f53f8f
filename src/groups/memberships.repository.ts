import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import { MAX_NESTING_DEPTH, type Group } from './group.js';
import { toGroup } from './groups.repository.js';

/** A group reached from a user or a group: `direct` when the edge is its own, not inherited. */
export interface Reached {
  id: string;
  direct: boolean;
}

/**
 * Users' memberships and groups' nestings. Walks of the nesting graph are recursive CTEs over the
 * two indexes of GroupNesting; each walk deduplicates what it reached (UNION), so it ends even on
 * data that broke the no-cycle rule.
 */
@Injectable()
export class MembershipsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** The groups `groupId` belongs to, directly or through the groups it is nested in. */
  async groupsOfGroup(groupId: string): Promise<Reached[]> {
    return this.txHost.tx.$queryRaw<Reached[]>`
      WITH RECURSIVE up(id, direct) AS (
        SELECT n."parentId", true FROM "GroupNesting" n WHERE n."groupId" = ${groupId}::uuid
        UNION
        SELECT n."parentId", false FROM "GroupNesting" n JOIN up ON n."groupId" = up.id
      )
      SELECT id::text AS id, bool_or(direct) AS direct FROM up GROUP BY id`;
  }

  /** The groups a user belongs to: those it was added to (DIRECT) and every group they are nested in. */
  async groupsOfUser(userId: string): Promise<Reached[]> {
    return this.txHost.tx.$queryRaw<Reached[]>`
      WITH RECURSIVE up(id, direct) AS (
        SELECT m."groupId", true FROM "GroupMembership" m WHERE m."userId" = ${userId}::uuid
        UNION
        SELECT n."parentId", false FROM "GroupNesting" n JOIN up ON n."groupId" = up.id
      )
      SELECT id::text AS id, bool_or(direct) AS direct FROM up GROUP BY id`;
  }

  /** The longest chain of groups above `groupId` (0: it is nested in none), bounded by the nesting limit. */
  async heightAbove(groupId: string): Promise<number> {
    const [row] = await this.txHost.tx.$queryRaw<Array<{ height: number }>>`
      WITH RECURSIVE up(id, depth) AS (
        SELECT ${groupId}::uuid, 0
        UNION
        SELECT n."parentId", up.depth + 1 FROM "GroupNesting" n JOIN up ON n."groupId" = up.id WHERE up.depth < ${MAX_NESTING_DEPTH}
      )
      SELECT max(depth)::int AS height FROM up`;
    return row?.height ?? 0;
  }

  /** The longest chain of groups nested below `groupId` (0: none), bounded by the nesting limit. */
  async depthBelow(groupId: string): Promise<number> {
    const [row] = await this.txHost.tx.$queryRaw<Array<{ depth: number }>>`
      WITH RECURSIVE down(id, depth) AS (
        SELECT ${groupId}::uuid, 0
        UNION
        SELECT n."groupId", down.depth + 1 FROM "GroupNesting" n JOIN down ON n."parentId" = down.id WHERE down.depth < ${MAX_NESTING_DEPTH}
      )
      SELECT max(depth)::int AS depth FROM down`;
    return row?.depth ?? 0;
  }

  /** False when the nesting already exists. */
  async addNesting(groupId: string, parentId: string): Promise<boolean> {
    const { count } = await this.txHost.tx.groupNesting.createMany({ data: [{ groupId, parentId }], skipDuplicates: true });
    return count === 1;
  }

  async removeNesting(groupId: string, parentId: string): Promise<boolean> {
    return (await this.txHost.tx.groupNesting.deleteMany({ where: { groupId, parentId } })).count === 1;
  }

  /** False when the user already is a direct member. */
  async addUser(groupId: string, userId: string): Promise<boolean> {
    const { count } = await this.txHost.tx.groupMembership.createMany({ data: [{ groupId, userId }], skipDuplicates: true });
    return count === 1;
  }

  async removeUser(groupId: string, userId: string): Promise<boolean> {
    return (await this.txHost.tx.groupMembership.deleteMany({ where: { groupId, userId } })).count === 1;
  }

  /** The user's username and population, or null when the environment has no such user. */
  async findUser(environmentId: string, userId: string): Promise<{ id: string; username: string; populationId: string } | null> {
    return this.txHost.tx.user.findFirst({
      where: { environmentId, id: userId },
      select: { id: true, username: true, populationId: true },
    });
  }

  /**
   * The user, locked against a concurrent move to another population until the transaction ends:
   * a move then waits for the membership (and removes it), or the membership sees the new population.
   */
  async findUserForMembership(
    environmentId: string,
    userId: string,
  ): Promise<{ id: string; username: string; populationId: string } | null> {
    const [row] = await this.txHost.tx.$queryRaw<Array<{ id: string; username: string; populationId: string }>>`
      SELECT id::text AS id, username, "populationId"::text AS "populationId" FROM "User"
      WHERE id = ${userId}::uuid AND "environmentId" = ${environmentId}::uuid FOR SHARE`;
    return row ?? null;
  }

  /** The groups of the environment with these ids, in id order. */
  async groupsByIds(environmentId: string, ids: readonly string[]): Promise<Group[]> {
    if (ids.length === 0) return [];
    const rows = await this.txHost.tx.group.findMany({ where: { environmentId, id: { in: [...ids] } }, orderBy: { id: 'asc' } });
    return rows.map(toGroup);
  }
}
