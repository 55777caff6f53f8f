import { Injectable } from '@nestjs/common';
import { UniquenessViolation } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { Population as PopulationRow } from '../generated/prisma/client.js';

export interface Population {
  id: string;
  environmentId: string;
  name: string;
  isDefault: boolean;
  passwordPolicyId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PopulationFields {
  name: string;
  passwordPolicyId: string | null;
}

@Injectable()
export class PopulationsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async findDefaultId(environmentId: string): Promise<string | null> {
    const row = await this.txHost.tx.population.findFirst({
      where: { environmentId, isDefault: true },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
    });
    return row?.id ?? null;
  }

  async exists(environmentId: string, id: string): Promise<boolean> {
    return (await this.txHost.tx.population.count({ where: { environmentId, id } })) === 1;
  }

  async list(environmentId: string): Promise<Population[]> {
    return this.txHost.tx.population.findMany({ where: { environmentId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  async findById(environmentId: string, id: string): Promise<Population | null> {
    return this.txHost.tx.population.findFirst({ where: { environmentId, id } });
  }

  async policyExists(environmentId: string, policyId: string): Promise<boolean> {
    return (await this.txHost.tx.passwordPolicy.count({ where: { environmentId, id: policyId } })) === 1;
  }

  async create(environmentId: string, id: string, fields: PopulationFields): Promise<Population> {
    return this.txHost.withUniqueConstraint(
      () => this.txHost.tx.population.create({ data: { id, environmentId, ...fields } }),
      () => this.nameConflict(environmentId, fields.name),
    );
  }

  async update(environmentId: string, id: string, fields: PopulationFields): Promise<Population | null> {
    const [row] = await this.txHost.withUniqueConstraint<PopulationRow[]>(
      () => this.txHost.tx.population.updateManyAndReturn({ where: { environmentId, id }, data: fields }),
      () => this.nameConflict(environmentId, fields.name),
    );
    return row ?? null;
  }

  private async nameConflict(environmentId: string, name: string): Promise<UniquenessViolation> {
    const existing = await this.txHost.tx.population.findFirst({ where: { environmentId, name }, select: { id: true } });
    return new UniquenessViolation('name', existing?.id);
  }
}
