import { Injectable } from '@nestjs/common';
import type { EventType } from '../events/event-catalog.js';
import { type EventContext, OutboxWriter } from '../events/outbox.writer.js';

type ApplicationEvent = Extract<EventType, `APPLICATION.${string}`>;

/** Records what happens to applications, in the transaction of the change. Never a secret. */
@Injectable()
export class ApplicationEvents {
  constructor(private readonly events: OutboxWriter) {}

  async record(
    type: ApplicationEvent,
    application: { id: string; name: string; environmentId: string },
    context: EventContext,
    description: string,
  ): Promise<void> {
    await this.events.record({
      type,
      context,
      resource: {
        type: 'APPLICATION',
        id: application.id,
        name: application.name,
        environmentId: application.environmentId,
        path: `applications/${application.id}`,
      },
      description,
    });
  }
}
