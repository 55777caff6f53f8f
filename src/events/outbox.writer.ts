import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EVENT_CATALOG, type Activity, type EventSubject, type EventType } from './event-catalog.js';
import { OutboxRepository } from './outbox.repository.js';

/** Who caused an event: a caller's request, or the service itself (no client actor). */
export type EventContext = RequestContext | { correlationId: string; principal?: undefined };

export interface EventInput {
  type: EventType;
  subject: EventSubject;
  context: EventContext;
  /** What happened, in words a reader of the activity log understands. */
  description: string;
  status?: 'SUCCESS' | 'FAILED';
}

/**
 * Records events in the outbox, inside the caller's transaction only: an event is stored if and
 * only if the change it describes commits.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly outbox: OutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async record(input: EventInput): Promise<Activity> {
    if (!this.txHost.isTransactionActive()) {
      throw new Error(`${input.type} must be recorded inside the transaction of the change it describes`);
    }
    const activity = this.toActivity(input);
    await this.outbox.append(input.subject.environmentId, activity);
    return activity;
  }

  private toActivity({ type, subject, context, description, status = 'SUCCESS' }: EventInput): Activity {
    const now = new Date().toISOString();
    const { principal } = context;
    return {
      id: randomUUID(),
      recordedAt: now,
      createdAt: now,
      correlationId: context.correlationId,
      action: { type, description: EVENT_CATALOG[type] },
      actors: principal ? { client: { id: principal.clientId, name: principal.clientName, type: 'CLIENT' } } : {},
      resources: [
        {
          id: subject.id,
          name: subject.username,
          type: 'USER',
          href: `${this.config.publicBaseUrl}/v1/environments/${subject.environmentId}/users/${subject.id}`,
          environment: { id: subject.environmentId },
          population: { id: subject.populationId },
        },
      ],
      result: { status, description },
    };
  }
}
