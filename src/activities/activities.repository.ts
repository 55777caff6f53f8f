import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { Activity } from '../events/index.js';
import type { Prisma } from '../generated/prisma/client.js';

/** An event of the activity log, and where it stands in the newest-first order. */
export interface StoredActivity {
  activity: Activity;
  createdAt: Date;
  sequence: bigint;
}

/** Where a page starts: after this event in newest-first order. */
export interface ActivityPosition {
  createdAt: Date;
  sequence: bigint;
}

/** The activity log: the outbox, read newest first. */
@Injectable()
export class ActivitiesRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /**
   * One page of an environment's events matching `where`, newest first, after `after`.
   * `populationIds` narrows it to events about those populations (a scoped caller's reach).
   * Served by the (environmentId, createdAt DESC, sequence DESC) index: a window is read from its
   * newest end and the scan stops after `limit + 1` matches.
   */
  async page(
    environmentId: string,
    where: Prisma.OutboxEventWhereInput,
    populationIds: readonly string[] | undefined,
    after: ActivityPosition | undefined,
    limit: number,
  ): Promise<{ activities: StoredActivity[]; hasMore: boolean }> {
    const conditions: Prisma.OutboxEventWhereInput[] = [{ environmentId }, where];
    if (populationIds) conditions.push({ populationId: { in: [...populationIds] } });
    if (after) {
      // The first condition is implied by the second, but bounds the index range: a later page
      // starts its scan at the cursor instead of filtering the newer part of the window.
      conditions.push(
        { createdAt: { lte: after.createdAt } },
        { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, sequence: { lt: after.sequence } }] },
      );
    }
    const rows = await this.txHost.tx.outboxEvent.findMany({
      where: { AND: conditions },
      orderBy: [{ createdAt: 'desc' }, { sequence: 'desc' }],
      take: limit + 1,
      select: { payload: true, createdAt: true, sequence: true },
    });
    return { activities: rows.slice(0, limit).map(toStored), hasMore: rows.length > limit };
  }

  async findById(environmentId: string, id: string, populationIds: readonly string[] | undefined): Promise<StoredActivity | null> {
    const row = await this.txHost.tx.outboxEvent.findFirst({
      where: { id, environmentId, ...(populationIds ? { populationId: { in: [...populationIds] } } : {}) },
      select: { payload: true, createdAt: true, sequence: true },
    });
    return row ? toStored(row) : null;
  }
}

function toStored(row: { payload: Prisma.JsonValue; createdAt: Date; sequence: bigint }): StoredActivity {
  return { activity: row.payload as unknown as Activity, createdAt: row.createdAt, sequence: row.sequence };
}
