import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '../common/metrics/metrics.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DATABASE, type Database } from '../database/database.js';
import { type ConsumerBacklog, EventRelay } from '../events/index.js';

/**
 * Gauges computed when Prometheus scrapes, so that nothing is measured between scrapes: the
 * database pool's use (Postgres only; the embedded database has no pool and reports none) and each
 * event consumer's backlog (one statement per scrape, shared by its two gauges).
 */
@Injectable()
export class ScrapeGauges implements OnModuleInit {
  private readonly logger = new Logger('Metrics');
  private backlogQuery?: Promise<ConsumerBacklog[] | undefined>;

  constructor(
    private readonly metrics: Metrics,
    private readonly relay: EventRelay,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.poolGauges();
    this.backlogGauges();
  }

  private poolGauges(): void {
    const pool = this.database.pool;
    if (!pool) return;
    const gauge = (name: string, help: string, read: () => number) =>
      this.metrics.gauge({
        name,
        help,
        collect() {
          this.set(read());
        },
      });
    gauge('identity_db_pool_connections', 'Open connections of the PostgreSQL pool, idle or in use.', () => pool.totalCount);
    gauge('identity_db_pool_idle_connections', 'Open connections of the pool that no query uses.', () => pool.idleCount);
    gauge('identity_db_pool_waiting_queries', 'Queries waiting for a connection because every one is in use.', () => pool.waitingCount);
    const max = this.config.databasePoolSize;
    gauge('identity_db_pool_max_connections', 'The most connections the pool opens (DATABASE_POOL_SIZE).', () => max);
  }

  private backlogGauges(): void {
    const load = () => this.backlogs();
    this.metrics.gauge({
      name: 'identity_event_backlog_events',
      help: 'Events placed after a consumer’s cursor (a subscription id, or "nats"): what it has still to handle.',
      labelNames: ['consumer'] as const,
      async collect() {
        this.reset();
        for (const b of (await load()) ?? []) this.set({ consumer: b.consumer }, Number(b.behind));
      },
    });
    this.metrics.gauge({
      name: 'identity_event_backlog_oldest_age_seconds',
      help: 'Age of the oldest event a consumer has still to handle; 0 when it has none.',
      labelNames: ['consumer'] as const,
      async collect() {
        this.reset();
        for (const b of (await load()) ?? []) this.set({ consumer: b.consumer }, b.oldestAgeSeconds);
      },
    });
  }

  /** One query for both gauges of a scrape; undefined (no samples) when the database does not answer. */
  private backlogs(): Promise<ConsumerBacklog[] | undefined> {
    this.backlogQuery ??= this.relay
      .backlogs()
      .catch((error: unknown) => {
        this.logger.warn(`event backlog not measured: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      })
      .finally(() => {
        this.backlogQuery = undefined;
      });
    return this.backlogQuery;
  }
}
