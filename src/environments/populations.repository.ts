import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';

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
}
