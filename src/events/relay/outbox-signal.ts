import { Injectable } from '@nestjs/common';

/**
 * Tells the relay of this instance that an event was committed here, so that it places and
 * delivers it at once instead of at its next poll. Other instances learn it from the
 * `events_placed` notification or their own poll.
 */
@Injectable()
export class OutboxSignal {
  private readonly listeners = new Set<() => void>();

  committed(): void {
    for (const listener of this.listeners) listener();
  }

  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
