import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../database/transaction.js';

export interface NewEnvironment {
  environmentId: string;
  name: string;
  populationId: string;
}

@Injectable()
export class EnvironmentsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: Tx) {}

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
