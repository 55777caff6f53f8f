import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { AppConfig } from '../config/app-config.js';
import { applyMigrations } from './migrator.js';

export const DATABASE = Symbol('DATABASE');

/**
 * The database the service runs on: Postgres when `DATABASE_URL` is set, otherwise an embedded
 * Postgres (PGlite) in `DATA_DIR`. Both are reached through a Prisma driver adapter, so the rest
 * of the code cannot tell them apart.
 */
export interface Database {
  readonly kind: 'postgres' | 'embedded';
  readonly adapter: PrismaPg | PrismaPGlite;
  /**
   * The connection pool, on Postgres only (the embedded database is one connection): for the rate
   * limits' store, which speaks `pg` itself, and the pool gauges of /metrics.
   */
  readonly pool?: pg.Pool;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel`, and `onGap` when messages
   * may have been missed (a lost connection), until the returned function is called.
   */
  listen(channel: string, onMessage: (payload: string) => void, onGap: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Sees every statement Prisma sends, with its parameters (tests that document SQL use it; unset in production). */
  readonly onQuery?: (query: string, params: unknown[]) => void;
}

export async function openDatabase(config: AppConfig): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.databasePoolSize);
  if (!config.dataDir.includes('://')) await mkdir(config.dataDir, { recursive: true });
  return openEmbedded(await PGlite.create(config.dataDir));
}

export function openPostgres(connectionString: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client losing its server is reported here; the next query reconnects (or gets a 503).
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    adapter: new PrismaPg(pool, { statementNameGenerator: statementName }),
    pool,
    async migrate() {
      // Advisory locks are per session: the whole migration runs on one connection.
      const client = await pool.connect();
      try {
        return await applyMigrations({ query: (sql, params) => client.query(sql, params), exec: (sql) => client.query(sql) });
      } finally {
        client.release();
      }
    },
    listen: (channel, onMessage, onGap) => listenOnPostgres(connectionString, channel, onMessage, onGap),
    close: () => pool.end(),
  };
}

const RELISTEN_DELAY_MS = 1000;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to queries), re-established
 * after any loss. What was announced while it was down is lost, so a gap is reported when the
 * connection drops and again once it listens again.
 */
async function listenOnPostgres(
  connectionString: string,
  channel: string,
  onMessage: (payload: string) => void,
  onGap: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    client = next;
    const lost = () => {
      if (stopped || client !== next) return;
      client = undefined;
      onGap();
      void next.end().catch(() => undefined);
      retry = setTimeout(() => void connect().then(onGap, () => undefined), RELISTEN_DELAY_MS);
    };
    next.on('notification', (message) => message.channel === channel && onMessage(message.payload ?? ''));
    next.on('error', lost);
    next.on('end', lost);
    try {
      await next.connect();
      await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (error) {
      lost();
      throw error;
    }
  };

  // A database that is down at start is retried like a lost connection: the service still starts
  // (and answers 503 until the database is back).
  await connect().catch(() => undefined);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

const statementNames = new Map<string, string>();
const MAX_STATEMENT_NAMES = 10_000;

/**
 * Names each distinct SQL text, so `pg` prepares it once per connection instead of having Postgres
 * parse and plan Prisma's long statements on every execution (measured in docs/benchmarks.md).
 * The cache of names is bounded; texts past the bound still get their (recomputed) name.
 */
function statementName({ sql }: { sql: string }): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `p${createHash('sha1').update(sql).digest('base64url')}`;
    if (statementNames.size < MAX_STATEMENT_NAMES) statementNames.set(sql, name);
  }
  return name;
}

/** PGlite is one connection in this process: fine for local use and demos, not for production. */
export function openEmbedded(pglite: PGlite): Database {
  return {
    kind: 'embedded',
    adapter: new PrismaPGlite(pglite),
    migrate: () => applyMigrations({ query: (sql, params) => pglite.query(sql, params), exec: (sql) => pglite.exec(sql) }),
    // One connection in this process: nothing is ever missed, so there is no gap to report.
    listen: (channel, onMessage) => pglite.listen(channel, onMessage),
    close: () => pglite.close(),
  };
}
