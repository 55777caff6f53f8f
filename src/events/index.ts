// The events infrastructure's public pieces.
export { type Activity, EVENT_CATALOG, type EventType } from './event-catalog.js';
export { OutboxWriter } from './outbox.writer.js';
export { EventRelay } from './relay/event-relay.js';
export { type ConsumerBacklog, RelayRepository } from './relay/relay.repository.js';
