import { Logger } from '@nestjs/common';
import { retryDelay, type Destination } from './consumers.js';
import type { CursorState, RelayRepository } from './relay.repository.js';

export interface WorkerOptions {
  owner: string;
  /** The last position known to be placed (and visible); the worker reads up to it. */
  lastPosition: () => bigint;
  /** How long a destination (the subscription's settings, decrypted) is reused before it is read again. */
  destinationTtlMs: number;
  pollMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  batchSize: number;
}

/**
 * Delivers one consumer's events, in position order, while this instance holds its lease. The
 * current event is retried until it succeeds (head of line): the cursor moves past an event only
 * after its delivery succeeded, and only while the lease is still held, so an instance that lost
 * the lease stops at once and at most the event it was sending is sent again by the next holder,
 * with the same id. Each consumer has its own loop: a slow or dead receiver holds back no one else.
 */
export class ConsumerWorker {
  private readonly logger = new Logger('EventRelay');
  private stopped = false;
  private wakeUp?: () => void;
  /** A wake that came while the loop was busy: the next pause returns at once. */
  private woken = false;
  private destinationCache?: { destination: Destination | null; at: number };
  private position: bigint;
  private attempts: number;
  private nextAttemptAt: Date | null;
  readonly done: Promise<void>;

  constructor(
    readonly consumer: string,
    state: CursorState,
    private readonly repository: RelayRepository,
    private readonly destination: () => Promise<Destination | null>,
    private readonly options: WorkerOptions,
  ) {
    this.position = state.position;
    this.attempts = state.attempts;
    this.nextAttemptAt = state.nextAttemptAt;
    this.done = this.run().catch((error: unknown) => this.logger.error(`${consumer}: delivery loop failed: ${String(error)}`));
  }

  /** New events may be there. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    return this.done;
  }

  get running(): boolean {
    return !this.stopped;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!(await this.step())) await this.pause(this.options.pollMs);
      } catch (error) {
        // The database failing under us: wait and try again; the lease decides who goes on.
        this.logger.warn(`${this.consumer}: ${error instanceof Error ? error.message : String(error)}`);
        await this.pause(this.options.pollMs * 4);
      }
    }
  }

  /** One round; false when there was nothing to do (the caller waits for news). */
  private async step(): Promise<boolean> {
    const now = Date.now();
    if (this.nextAttemptAt && this.nextAttemptAt.getTime() > now) {
      await this.pause(this.nextAttemptAt.getTime() - now);
      return true;
    }
    const destination = await this.currentDestination();
    if (!destination) return this.halt();
    const upTo = this.options.lastPosition();
    if (this.position >= upTo) return false;
    const events = await this.repository.eventsAfter(this.position, upTo, destination.filter, this.options.batchSize);
    if (events.length === 0) {
      // Nothing up to upTo is for this consumer: every position up to it is final, so skip them.
      return (await this.repository.advance(this.consumer, this.options.owner, upTo, false)) ? this.moved(upTo) : this.halt();
    }
    for (const event of events) {
      if (this.stopped) return true;
      try {
        await destination.deliver(event);
      } catch (error) {
        return this.failed(error);
      }
      if (!(await this.repository.advance(this.consumer, this.options.owner, event.position, true))) return this.halt();
      this.moved(event.position);
    }
    return true;
  }

  /** The subscription's settings are read again at most every destinationTtlMs, and after each failure. */
  private async currentDestination(): Promise<Destination | null> {
    const now = Date.now();
    if (!this.destinationCache || now - this.destinationCache.at >= this.options.destinationTtlMs) {
      this.destinationCache = { destination: await this.destination(), at: now };
    }
    return this.destinationCache.destination;
  }

  private moved(position: bigint): boolean {
    this.position = position;
    this.attempts = 0;
    this.nextAttemptAt = null;
    return true;
  }

  private async failed(error: unknown): Promise<boolean> {
    const message = error instanceof Error ? error.message : String(error);
    const delay = retryDelay(this.attempts, this.options.retryBaseMs, this.options.retryMaxMs);
    const next = new Date(Date.now() + delay);
    if (!(await this.repository.recordFailure(this.consumer, this.options.owner, message, next))) return this.halt();
    this.destinationCache = undefined;
    this.attempts += 1;
    this.nextAttemptAt = next;
    this.logger.warn(`${this.consumer}: delivery failed (attempt ${this.attempts}, next in ${delay} ms): ${message}`);
    return true;
  }

  /** The lease is gone, or the consumer is disabled or deleted: another holder (or nobody) goes on. */
  private halt(): boolean {
    this.stopped = true;
    return true;
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
