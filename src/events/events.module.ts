import { Global, Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxWriter } from './outbox.writer.js';
import { EventRelay } from './relay/event-relay.js';
import { OutboxSignal } from './relay/outbox-signal.js';
import { RelayRepository } from './relay/relay.repository.js';

/**
 * The event catalogue, the transactional outbox, and the relay that delivers it to subscriptions
 * and to NATS (docs/events.md). Global, so that one relay runs per instance.
 */
@Global()
@Module({
  providers: [OutboxRepository, OutboxWriter, OutboxSignal, RelayRepository, EventRelay],
  exports: [OutboxWriter, OutboxRepository, RelayRepository, EventRelay],
})
export class EventsModule {}
