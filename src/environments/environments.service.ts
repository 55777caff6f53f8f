import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import { EnvironmentsRepository, type NewEnvironment } from './environments.repository.js';

/** Environments: created with their default population, by the bootstrap. */
@Injectable()
export class EnvironmentsService {
  constructor(
    private readonly environments: EnvironmentsRepository,
    private readonly transactions: TransactionHost,
  ) {}

  createWithDefaultPopulation(environment: NewEnvironment): Promise<void> {
    return this.transactions.run(() => this.environments.createWithDefaultPopulation(environment));
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
