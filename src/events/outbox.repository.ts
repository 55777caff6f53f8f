import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Activity } from './event-catalog.js';

export interface OutboxRow {
  sequence: bigint;
  /** The delivery order (docs/events.md); null until the sequencer has placed the event. */
  position: bigint | null;
  id: string;
  environmentId: string;
  type: string;
  payload: Activity;
  createdAt: Date;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async append(environmentId: string, activity: Activity): Promise<void> {
    // Optional chaining: the activity's shape is checked by its type here, but rows written for tests may be partial.
    const resource = activity.resources?.[0];
    await this.txHost.tx.outboxEvent.create({
      data: {
        id: activity.id,
        environmentId,
        type: activity.action.type,
        payload: activity as unknown as Prisma.InputJsonObject,
        createdAt: new Date(activity.createdAt),
        resourceId: resource?.id,
        populationId: resource?.population?.id,
        correlationId: activity.correlationId,
        actorClientId: activity.actors?.client?.id,
        resultStatus: activity.result?.status,
      },
    });
  }

  /** Events of an environment in the order they were recorded, optionally for one resource. */
  async listForEnvironment(environmentId: string, resourceId?: string): Promise<OutboxRow[]> {
    const rows = await this.txHost.tx.outboxEvent.findMany({
      where: { environmentId, ...(resourceId ? { resourceId } : {}) },
      orderBy: { sequence: 'asc' },
      select: {
        sequence: true,
        placement: { select: { position: true } },
        id: true,
        environmentId: true,
        type: true,
        payload: true,
        createdAt: true,
      },
    });
    return rows.map(({ placement, ...row }) => ({
      ...row,
      position: placement?.position ?? null,
      payload: row.payload as unknown as Activity,
    }));
  }
}
