import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { Environment as EnvironmentRow } from '../generated/prisma/client.js';

export interface NewEnvironment {
  environmentId: string;
  name: string;
  populationId: string;
}

/** An environment as PingOne describes it. */
export interface Environment {
  id: string;
  name: string;
  description: string | null;
  type: 'PRODUCTION' | 'SANDBOX';
  region: string;
  licenseId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface EnvironmentChanges {
  name: string;
  description: string | null;
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

  async findById(id: string): Promise<Environment | null> {
    const row = await this.txHost.tx.environment.findUnique({ where: { id } });
    return row ? toEnvironment(row) : null;
  }

  /** One statement: the row changes (and `updatedAt` moves) only if it exists. */
  async update(id: string, changes: EnvironmentChanges): Promise<Environment | null> {
    const [row] = await this.txHost.tx.environment.updateManyAndReturn({ where: { id }, data: changes });
    return row ? toEnvironment(row) : null;
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

function toEnvironment(row: EnvironmentRow): Environment {
  const { id, name, description, type, region, licenseId, createdAt, updatedAt } = row;
  return { id, name, description, type, region, licenseId, createdAt, updatedAt };
}
