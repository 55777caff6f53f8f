import { Injectable } from '@nestjs/common';
import { EventRelay } from '../events/index.js';
import type { ReadinessResponse } from './dto/health.response.js';
import { type Dependency, DependenciesUnavailable } from './health.errors.js';
import { HealthRepository } from './health.repository.js';

/** Longer than a healthy database ever takes to answer `SELECT 1`, shorter than a probe's usual timeout. */
const DATABASE_TIMEOUT_MS = 2000;

/**
 * Whether this instance can serve requests now: the database answers and, when this instance
 * publishes events to NATS, NATS is connected. Each check says which dependency is down.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthRepository,
    private readonly relay: EventRelay,
  ) {}

  async check(): Promise<ReadinessResponse> {
    const down: Array<{ dependency: Dependency; message: string; cause?: unknown }> = [];
    const database = await this.databaseProblem();
    if (database) down.push(database);
    const nats = this.relay.natsState();
    if (nats === 'disconnected') down.push({ dependency: 'nats', message: 'NATS is not connected (NATS_URL); events wait in the outbox.' });
    if (down.length > 0) throw new DependenciesUnavailable(down);
    return { status: 'UP', checks: { database: 'UP', ...(nats === 'connected' ? { nats: 'UP' as const } : {}) } };
  }

  private async databaseProblem(): Promise<{ dependency: Dependency; message: string; cause: unknown } | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.health.ping(), timeout]);
      return undefined;
    } catch (cause) {
      return { dependency: 'database', message: 'The database does not answer.', cause };
    } finally {
      clearTimeout(timer);
    }
  }
}
