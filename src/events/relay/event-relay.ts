import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { SecretBox } from '../../crypto/secret-box.js';
import { DATABASE, type Database } from '../../database/database.js';
import { TransactionHost } from '../../database/transaction-host.js';
import { ConsumerWorker } from './consumer-worker.js';
import { NATS_CONSUMER, natsDestination, subscriptionDestination, type Destination } from './consumers.js';
import { NatsPublisher } from './nats-publisher.js';
import { OutboxSignal } from './outbox-signal.js';
import { type ConsumerBacklog, EVENTS_PLACED_CHANNEL, RelayRepository, type CursorState } from './relay.repository.js';

const PLACE_BATCH = 1000;
const DELIVERY_BATCH = 100;
const PRUNE_BATCH = 1000;
const PRUNE_EVERY_MS = 3_600_000;
/** How long a worker reuses a subscription's settings: a change applies to deliveries within this. */
const DESTINATION_TTL_MS = 1000;
/** The longest pause between two claims: how soon a new subscription starts being delivered. */
const CLAIM_EVERY_MAX_MS = 2000;
/**
 * Rounds woken by commits are at least this far apart: under load one round places the events of
 * many commits, instead of a round (and its transaction of four statements) per commit. At 25 ms
 * the sequencer sends at most 160 statements a second however many events are written; an event
 * committed just after a round waits at most this long for the next.
 */
const MIN_ROUND_INTERVAL_MS = 25;

/**
 * Takes events from the outbox to their consumers (docs/events.md). Every instance runs it:
 * - it places committed events in commit order (one instance at a time, under an advisory lock);
 * - it holds leases on consumers (subscriptions, and the NATS stream when configured), renewing
 *   its own and taking over those whose holder stopped renewing; each held consumer gets its own
 *   delivery loop (ConsumerWorker);
 * - it prunes events older than the retention period, in small batches.
 * It wakes when this instance commits an event, when any instance announces placed events, and
 * otherwise every EVENT_RELAY_POLL_MS.
 */
@Injectable()
export class EventRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventRelay');
  /** This instance, as a lease holder. */
  readonly owner = `${process.pid}-${randomUUID()}`;
  private readonly workers = new Map<string, ConsumerWorker>();
  /** Workers told to stop and not finished yet: no new worker starts for their consumer until they are. */
  private readonly retiring = new Map<string, Promise<void>>();
  /** The last position known to be placed and visible, shared by the workers (no query per step). */
  private lastPosition = 0n;
  private readonly nats?: NatsPublisher;
  private loop?: Promise<void>;
  private stopping = false;
  private wakeUp?: () => void;
  private pending = false;
  private lastClaim = 0;
  private lastLook = 0;
  private lastPrune = 0;
  private stopListening?: () => Promise<void>;
  private unsubscribe?: () => void;

  constructor(
    private readonly repository: RelayRepository,
    private readonly transactions: TransactionHost,
    private readonly box: SecretBox,
    private readonly signal: OutboxSignal,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE) private readonly database: Database,
  ) {
    if (config.natsUrl) this.nats = new NatsPublisher(config.natsUrl, config.natsStream, config.webhookResponseTimeoutMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.eventRelay) return;
    this.unsubscribe = this.signal.onCommitted(() => this.wake());
    this.stopListening = await this.database
      .listen(
        EVENTS_PLACED_CHANNEL,
        (payload) => this.placedElsewhere(payload),
        () => this.wakeWorkers(),
      )
      .catch(() => undefined);
    if (this.nats) {
      await this.transactions.run(() => this.repository.createCursor(NATS_CONSUMER, null)).catch(() => undefined);
      this.nats.connectInBackground();
    }
    // Retention starts a minute after start, not at once: a fleet restarting should not all prune together.
    this.lastPrune = Date.now() - PRUNE_EVERY_MS + 60_000;
    this.loop = this.run();
  }

  /** Stops placing and claiming, lets each delivery in flight finish, and hands the leases back. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
    await Promise.all(this.retiring.values());
    await this.stopListening?.();
    if (this.config.eventRelay) await this.repository.release(this.owner).catch(() => undefined);
    await this.nats?.close();
  }

  /**
   * NATS as this instance sees it: `off` when this instance publishes nothing to NATS (no
   * NATS_URL, or EVENT_RELAY=false). While it is not connected, a connection is being tried.
   */
  natsState(): 'off' | 'connected' | 'disconnected' {
    if (!this.nats || !this.config.eventRelay) return 'off';
    if (this.nats.isConnected()) return 'connected';
    this.nats.connectInBackground();
    return 'disconnected';
  }

  /** How far behind every delivered consumer is (the NATS stream's included when NATS_URL is set), read from the database now. */
  backlogs(): Promise<ConsumerBacklog[]> {
    return this.repository.backlogs(this.nats ? [NATS_CONSUMER] : []);
  }

  /** Runs one round now (tests, and the first round after a commit). */
  async runOnce(): Promise<void> {
    const now = Date.now();
    const placed = await this.placeAll();
    // Another instance may have placed events whose notification was lost: look now and then.
    if (now - this.lastLook >= this.config.eventRelayPollMs) {
      this.lastLook = now;
      this.advanceTo(await this.repository.lastPosition());
    }
    if (now - this.lastClaim >= Math.min(this.config.eventRelayLeaseMs / 3, CLAIM_EVERY_MAX_MS)) await this.claim();
    if (placed > 0) this.wakeWorkers();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) await this.prune();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.pending = false;
      const started = Date.now();
      try {
        await this.runOnce();
      } catch (error) {
        this.logger.warn(`relay round failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (this.pending) await sleep(Math.max(0, MIN_ROUND_INTERVAL_MS - (Date.now() - started)));
      else await this.pause(this.config.eventRelayPollMs);
    }
  }

  private async placeAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const { placed, last } = await this.transactions.run(() => this.repository.placeCommitted(PLACE_BATCH));
      total += placed;
      if (placed > 0) this.advanceTo(last);
      if (placed < PLACE_BATCH) return total;
    }
  }

  private async claim(): Promise<void> {
    this.lastClaim = Date.now();
    const held = await this.repository.claim(this.owner, this.config.eventRelayLeaseMs, this.nats ? [NATS_CONSUMER] : []);
    const heldNames = new Set(held.map((c) => c.consumer));
    for (const [name, worker] of this.workers) {
      if (!heldNames.has(name) || !worker.running) this.retire(name, worker);
    }
    for (const state of held) if (!this.workers.has(state.consumer) && !this.retiring.has(state.consumer)) this.start(state);
  }

  /** Stops a worker; its consumer gets a new one only once it has finished (never two at once). */
  private retire(name: string, worker: ConsumerWorker): void {
    this.workers.delete(name);
    this.retiring.set(
      name,
      worker.stop().finally(() => this.retiring.delete(name)),
    );
  }

  private start(state: CursorState): void {
    const worker = new ConsumerWorker(state.consumer, state, this.repository, () => this.destination(state), {
      owner: this.owner,
      lastPosition: () => this.lastPosition,
      destinationTtlMs: DESTINATION_TTL_MS,
      pollMs: this.config.eventRelayPollMs,
      retryBaseMs: this.config.webhookRetryBaseMs,
      retryMaxMs: this.config.webhookRetryMaxMs,
      batchSize: DELIVERY_BATCH,
    });
    this.workers.set(state.consumer, worker);
  }

  /** Read again before each batch, so a change to the subscription applies from its next event. */
  private async destination(state: CursorState): Promise<Destination | null> {
    if (state.subscriptionId === null) return state.consumer === NATS_CONSUMER && this.nats ? natsDestination(this.nats) : null;
    const target = await this.repository.subscriptionTarget(state.subscriptionId);
    return subscriptionDestination(target, this.box, this.limits(), new Date());
  }

  private limits() {
    return {
      allowInsecureTargets: this.config.webhookAllowInsecureTargets,
      connectTimeoutMs: this.config.webhookConnectTimeoutMs,
      responseTimeoutMs: this.config.webhookResponseTimeoutMs,
    };
  }

  /** Deletes the events older than ACTIVITY_RETENTION_DAYS, in batches; returns how many. Runs hourly. */
  async prune(): Promise<number> {
    this.lastPrune = Date.now();
    const cutoff = new Date(Date.now() - this.config.activityRetentionDays * 86_400_000);
    let pruned = 0;
    for (;;) {
      const count = await this.transactions.run(() => this.repository.prune(cutoff, PRUNE_BATCH));
      pruned += count;
      if (count < PRUNE_BATCH || this.stopping) break;
    }
    if (pruned > 0) this.logger.log(`pruned ${pruned} events recorded before ${cutoff.toISOString()}`);
    return pruned;
  }

  private wake(): void {
    this.pending = true;
    this.wakeUp?.();
  }

  /** Another instance placed events up to `payload` (a position). */
  private placedElsewhere(payload: string): void {
    if (/^\d+$/.test(payload)) this.advanceTo(BigInt(payload));
    this.wakeWorkers();
  }

  private advanceTo(position: bigint): void {
    if (position > this.lastPosition) this.lastPosition = position;
  }

  private wakeWorkers(): void {
    for (const worker of this.workers.values()) worker.wake();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
