import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';

export interface ApplicationCredentials {
  id: string;
  name: string;
  environmentId: string;
  enabled: boolean;
  clientSecretHash: string;
}

@Injectable()
export class ApplicationsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async create(app: { id: string; environmentId: string; name: string; clientSecretHash: string }): Promise<void> {
    await this.txHost.tx.application.create({ data: app });
  }

  /** The one read that selects the secret's hash: used only to authenticate a client. */
  async findCredentials(environmentId: string, id: string): Promise<ApplicationCredentials | null> {
    return this.txHost.tx.application.findFirst({
      where: { id, environmentId },
      select: { id: true, name: true, environmentId: true, enabled: true, clientSecretHash: true },
    });
  }
}
