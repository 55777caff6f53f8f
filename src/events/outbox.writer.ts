import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Principal } from '../common/authorization/principal.js';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EVENT_CATALOG, type Activity, type EventSubject, type EventType, type ResourceSubject } from './event-catalog.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxSignal } from './relay/outbox-signal.js';

/** Who caused an event: a caller's request, or the service itself (no client actor). */
export type EventContext = RequestContext | { correlationId: string; principal?: undefined };

export type EventInput = {
  type: EventType;
  context: EventContext;
  /** What happened, in words a reader of the activity log understands. */
  description: string;
  status?: 'SUCCESS' | 'FAILED';
} & ({ subject: EventSubject; resource?: undefined } | { resource: ResourceSubject; subject?: undefined });

/**
 * Records events in the outbox, inside the caller's transaction only: an event is stored if and
 * only if the change it describes commits.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly outbox: OutboxRepository,
    private readonly signal: OutboxSignal,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly wakeRelay = (): void => this.signal.committed();

  async record(input: EventInput): Promise<Activity> {
    if (!this.txHost.isTransactionActive()) {
      throw new Error(`${input.type} must be recorded inside the transaction of the change it describes`);
    }
    const activity = this.toActivity(input);
    await this.outbox.append(activity.resources[0]?.environment.id, activity);
    this.txHost.afterCommit(this.wakeRelay);
    return activity;
  }

  private toActivity({ type, context, description, status = 'SUCCESS', ...about }: EventInput): Activity {
    const now = new Date().toISOString();
    const { principal } = context;
    return {
      id: randomUUID(),
      recordedAt: now,
      createdAt: now,
      correlationId: context.correlationId,
      action: { type, description: EVENT_CATALOG[type] },
      actors: principal ? { client: this.clientActor(principal) } : {},
      resources: [about.subject ? this.userResource(about.subject) : this.resource(about.resource)],
      result: { status, description },
    };
  }

  /** The caller as PingOne names it; `href` when it is an application of this service. */
  private clientActor(principal: Principal): NonNullable<Activity['actors']['client']> {
    const environment = { id: principal.environmentId };
    const href =
      principal.grants.from === 'application'
        ? `${this.config.publicBaseUrl}/v1/environments/${principal.environmentId}/applications/${principal.clientId}`
        : undefined;
    return { id: principal.clientId, name: principal.clientName, environment, ...(href ? { href } : {}), type: 'CLIENT' };
  }

  private userResource(user: EventSubject): Activity['resources'][number] {
    return {
      id: user.id,
      name: user.username,
      type: 'USER',
      href: `${this.config.publicBaseUrl}/v1/environments/${user.environmentId}/users/${user.id}`,
      environment: { id: user.environmentId },
      population: { id: user.populationId },
    };
  }

  private resource(resource: ResourceSubject): Activity['resources'][number] {
    return {
      id: resource.id,
      name: resource.name,
      type: resource.type,
      href: `${this.config.publicBaseUrl}/v1/environments/${resource.environmentId}/${resource.path}`,
      environment: { id: resource.environmentId },
    };
  }
}
