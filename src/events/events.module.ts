import { Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxWriter } from './outbox.writer.js';

/** The event catalogue and the transactional outbox. Delivery to subscribers builds on these rows. */
@Module({
  providers: [OutboxRepository, OutboxWriter],
  exports: [OutboxWriter, OutboxRepository],
})
export class EventsModule {}
