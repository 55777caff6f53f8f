import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Activity } from './event-catalog.js';

export interface OutboxRow {
  sequence: bigint;
  id: string;
  environmentId: string;
  type: string;
  payload: Activity;
  createdAt: Date;
  publishedAt: Date | null;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async append(environmentId: string, activity: Activity): Promise<void> {
    await this.txHost.tx.outboxEvent.create({
      data: {
        id: activity.id,
        environmentId,
        type: activity.action.type,
        payload: activity as unknown as Prisma.InputJsonObject,
        createdAt: new Date(activity.createdAt),
      },
    });
  }

  /** Events of an environment in the order they were recorded, optionally for one resource. */
  async listForEnvironment(environmentId: string, resourceId?: string): Promise<OutboxRow[]> {
    const rows = await this.txHost.tx.outboxEvent.findMany({
      where: {
        environmentId,
        ...(resourceId ? { payload: { path: ['resources', '0', 'id'], equals: resourceId } } : {}),
      },
      orderBy: { sequence: 'asc' },
    });
    return rows.map((row) => ({ ...row, payload: row.payload as unknown as Activity }));
  }
}
