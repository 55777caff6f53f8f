import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { ResourceNotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { decodeCursor } from '../common/pagination/cursor.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import type { EnvironmentBodyDto } from './dto/environment.dto.js';
import { matchesEnvironment, parseEnvironmentFilter } from './environment-filter.js';
import { type Environment, EnvironmentsRepository, type NewEnvironment } from './environments.repository.js';

/** Environments: created with their default population by the bootstrap, then read and renamed. */
@Injectable()
export class EnvironmentsService {
  constructor(
    private readonly environments: EnvironmentsRepository,
    private readonly transactions: TransactionHost,
    private readonly events: OutboxWriter,
  ) {}

  createWithDefaultPopulation(environment: NewEnvironment): Promise<void> {
    return this.transactions.run(() => this.environments.createWithDefaultPopulation(environment));
  }

  async get(id: string): Promise<Environment> {
    return (await this.environments.findById(id)) ?? notFound();
  }

  /**
   * The environments a caller may see: a token belongs to one environment, so at most that one,
   * when it matches the filter and lies after the cursor. Every page holds it whole (`limit` ≥ 1).
   */
  async listVisible(callerEnvironmentId: string, query: { filter?: string; cursor?: string }): Promise<Environment[]> {
    const filter = parseEnvironmentFilter(query.filter);
    const afterId = query.cursor ? decodeCursor(query.cursor) : undefined;
    const own = await this.environments.findById(callerEnvironmentId);
    if (!own || (filter && !matchesEnvironment(own, filter)) || (afterId !== undefined && own.id <= afterId)) return [];
    return [own];
  }

  /**
   * PUT: name and description take the body's values (a description left out is cleared);
   * ENVIRONMENT.UPDATED in the same transaction. `type` and `region` may come back as read, and
   * must then be unchanged: neither is changed here.
   */
  update(id: string, body: EnvironmentBodyDto, context: RequestContext): Promise<Environment> {
    return this.transactions.run(async () => {
      refuseFixedChanges(await this.get(id), body);
      const changes = { name: body.name, description: body.description ?? null };
      const environment = (await this.environments.update(id, changes)) ?? notFound();
      await this.events.record({
        type: 'ENVIRONMENT.UPDATED',
        context,
        resource: { type: 'ENVIRONMENT', id, name: environment.name, environmentId: id, path: '' },
        description: `Updated environment ${environment.name}`,
      });
      return environment;
    });
  }

  /**
   * Runs `work` in a transaction that holds the bootstrap lock, with whether any environment
   * exists yet: two instances starting on one empty database must not both create one.
   */
  whileBootstrapLocked<T>(work: (empty: boolean) => Promise<T>): Promise<T> {
    return this.transactions.run(async () => {
      await this.environments.lockForBootstrap();
      return work((await this.environments.count()) === 0);
    });
  }
}

function refuseFixedChanges(current: Environment, body: EnvironmentBodyDto): void {
  const details = (['type', 'region'] as const)
    .filter((attribute) => body[attribute] !== undefined && body[attribute] !== current[attribute])
    .map((attribute) => ({
      code: 'INVALID_VALUE',
      target: attribute,
      message: `${attribute} cannot be changed; it is ${current[attribute]}.`,
      innerError: { allowedValues: [current[attribute]] },
    }));
  if (details.length > 0) throw new ValidationFailed(details);
}

function notFound(): never {
  throw new ResourceNotFound('environment');
}
