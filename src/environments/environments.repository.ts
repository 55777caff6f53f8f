import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';

export interface NewEnvironment {
  environmentId: string;
  name: string;
  populationId: string;
}

@Injectable()
export class EnvironmentsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** Serialises first-start bootstraps across instances until the caller's transaction ends. */
  async lockForBootstrap(): Promise<void> {
    await this.txHost.tx.$executeRaw`SELECT pg_advisory_xact_lock(727073691)`;
  }

  async count(): Promise<number> {
    return this.txHost.tx.environment.count();
  }

  async exists(id: string): Promise<boolean> {
    return (await this.txHost.tx.environment.count({ where: { id } })) === 1;
  }

  /** The environment and its default population, together. */
  async createWithDefaultPopulation({ environmentId, name, populationId }: NewEnvironment): Promise<void> {
    await this.txHost.tx.environment.create({
      data: {
        id: environmentId,
        name,
        populations: { create: { id: populationId, name: 'Default', isDefault: true } },
      },
    });
  }
}
