import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AccessResolver } from '../access/access.resolver.js';
import type { Principal } from '../auth/principal.js';
import { SecretBox } from '../crypto/secret-box.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { Application, ApplicationFields } from './application.js';
import { ApplicationNotFound, CannotLockOutItself } from './applications.errors.js';
import { ApplicationsRepository } from './applications.repository.js';
import { generateClientSecret, sealClientSecret } from './client-secrets.js';
import type { ApplicationBodyDto } from './dto/application.dto.js';

export interface NewApplication {
  id: string;
  name: string;
  /** Shown to whoever created the application; afterwards only an administrator reads it back. */
  clientSecret: string;
}

/** Worker applications: create, read, list, replace, delete. Their secrets are ApplicationSecretsService's. */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly box: SecretBox,
    private readonly resolver: AccessResolver,
    private readonly transactions: TransactionHost,
  ) {}

  /** The bootstrap's worker, whose secret is printed once. */
  async createWorker(environmentId: string, name: string): Promise<NewApplication> {
    const { application, clientSecret } = await this.createWithSecret(environmentId, { name, description: null, enabled: true });
    return { id: application.id, name: application.name, clientSecret };
  }

  /** The secret is not returned: PingOne's caller reads it at `.../secret`. */
  async create(environmentId: string, body: ApplicationBodyDto): Promise<Application> {
    return (await this.createWithSecret(environmentId, fieldsOf(body))).application;
  }

  list(environmentId: string): Promise<Application[]> {
    return this.applications.list(environmentId);
  }

  async get(environmentId: string, id: string): Promise<Application> {
    return (await this.applications.findById(environmentId, id.toLowerCase())) ?? notFound();
  }

  async replace(environmentId: string, appId: string, body: ApplicationBodyDto, caller: Principal): Promise<Application> {
    const id = appId.toLowerCase();
    const fields = fieldsOf(body);
    if (!fields.enabled && id === caller.clientId) throw new CannotLockOutItself('disable');
    const application = (await this.transactions.run(() => this.applications.update(environmentId, id, fields))) ?? notFound();
    // A disabled application's grants are empty: its tokens must stop working now, not when the cache expires.
    this.resolver.invalidate(id);
    return application;
  }

  async delete(environmentId: string, appId: string, caller: Principal): Promise<void> {
    const id = appId.toLowerCase();
    if (id === caller.clientId) throw new CannotLockOutItself('delete');
    if (!(await this.transactions.run(() => this.applications.delete(environmentId, id)))) notFound();
    this.resolver.invalidate(id);
  }

  private async createWithSecret(environmentId: string, fields: ApplicationFields): Promise<{ application: Application; clientSecret: string }> {
    const id = randomUUID();
    const clientSecret = generateClientSecret();
    const secret = await sealClientSecret(this.box, id, clientSecret);
    const application = await this.transactions.run(() => this.applications.create(environmentId, id, fields, secret));
    return { application, clientSecret };
  }
}

function fieldsOf(body: ApplicationBodyDto): ApplicationFields {
  return { name: body.name, description: body.description ?? null, enabled: body.enabled ?? true };
}

function notFound(): never {
  throw new ApplicationNotFound();
}
