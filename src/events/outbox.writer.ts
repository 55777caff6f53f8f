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
  /** Further resources the event involves, after its subject (the group a user joined, the parent of a nesting). */
  related?: ResourceSubject[];
} & ({ subject: EventSubject; resource?: undefined } | { resource: ResourceSubject; subject?: undefined });

/**
 * An event about a user whose outbox row one SQL statement writes together with the change (a
 * data-modifying CTE): everything of the activity but `resources`, which the statement builds from
 * the row it changed (see AccountRepository), so the row and its event are one atomic statement.
 */
export interface UserEventDraft {
  id: string;
  type: EventType;
  createdAt: Date;
  correlationId: string;
  actorClientId: string | null;
  status: 'SUCCESS' | 'FAILED';
  /** The activity without `resources`, as JSON. */
  activity: Omit<Activity, 'resources'>;
  /** `.../v1/environments/{envID}/users/`, to which the statement appends the user's id. */
  usersHref: (environmentId: string) => string;
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

  /**
   * The event of a change that a single statement makes and records itself; call `committed` once
   * the statement has run. The activity is exactly what `record` would store (a test compares them).
   */
  draftUserEvent(input: Omit<EventInput, 'subject' | 'resource'>): UserEventDraft {
    const { resources: _none, ...activity } = this.toActivity({ ...input, resources: [] });
    return {
      id: activity.id,
      type: input.type,
      createdAt: new Date(activity.createdAt),
      correlationId: activity.correlationId,
      actorClientId: activity.actors.client?.id ?? null,
      status: activity.result.status,
      activity,
      usersHref: (environmentId) => `${this.config.publicBaseUrl}/v1/environments/${environmentId}/users/`,
    };
  }

  /** A statement of its own wrote an event: the relay looks at once (after the transaction, if one is open). */
  committed(): void {
    this.txHost.afterCommit(this.wakeRelay);
  }

  private toActivity(
    input: Omit<EventInput, 'subject' | 'resource'> & ({ resources: Activity['resources'] } | Pick<EventInput, 'subject' | 'resource'>),
  ): Activity {
    const { type, context, description, status = 'SUCCESS' } = input;
    const now = new Date().toISOString();
    const { principal } = context;
    const resources =
      'resources' in input
        ? input.resources
        : [
            input.subject ? this.userResource(input.subject) : this.resource(input.resource as ResourceSubject),
            ...(input.related ?? []).map((r) => this.resource(r)),
          ];
    return {
      id: randomUUID(),
      recordedAt: now,
      createdAt: now,
      correlationId: context.correlationId,
      action: { type, description: EVENT_CATALOG[type] },
      actors: principal ? { client: this.clientActor(principal) } : {},
      resources,
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
      href: `${this.config.publicBaseUrl}/v1/environments/${resource.environmentId}${resource.path ? `/${resource.path}` : ''}`,
      environment: { id: resource.environmentId },
      ...(resource.populationId ? { population: { id: resource.populationId } } : {}),
    };
  }
}
