import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AccessResolver } from '../access/index.js';
import type { RequestContext } from '../common/context/request-context.js';
import { SecretBox } from '../crypto/secret-box.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { EventContext } from '../events/outbox.writer.js';
import { ApplicationEvents } from './application-events.js';
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
    private readonly events: ApplicationEvents,
  ) {}

  /** The bootstrap's worker, whose secret is printed once. */
  async createWorker(
    environmentId: string,
    name: string,
    context: EventContext = { correlationId: randomUUID() },
  ): Promise<NewApplication> {
    const { application, clientSecret } = await this.createWithSecret(environmentId, { name, description: null, enabled: true }, context);
    return { id: application.id, name: application.name, clientSecret };
  }

  /** The secret is not returned: PingOne's caller reads it at `.../secret`. */
  async create(environmentId: string, body: ApplicationBodyDto, context: RequestContext): Promise<Application> {
    return (await this.createWithSecret(environmentId, fieldsOf(body), context)).application;
  }

  list(environmentId: string): Promise<Application[]> {
    return this.applications.list(environmentId);
  }

  async get(environmentId: string, id: string): Promise<Application> {
    return (await this.applications.findById(environmentId, id)) ?? notFound();
  }

  async replace(environmentId: string, appId: string, body: ApplicationBodyDto, context: RequestContext): Promise<Application> {
    const id = appId;
    const fields = fieldsOf(body);
    if (!fields.enabled && id === context.principal.clientId) throw new CannotLockOutItself('disable');
    const application = await this.transactions.run(async () => {
      const updated = (await this.applications.update(environmentId, id, fields)) ?? notFound();
      await this.events.record(
        'APPLICATION.UPDATED',
        updated,
        context,
        `Application ${updated.enabled ? 'updated' : 'updated and disabled'}`,
      );
      return updated;
    });
    // A disabled application's grants are empty: its tokens must stop working now, not when the cache expires.
    this.resolver.invalidate(id);
    return application;
  }

  async delete(environmentId: string, appId: string, context: RequestContext): Promise<void> {
    const id = appId;
    if (id === context.principal.clientId) throw new CannotLockOutItself('delete');
    await this.transactions.run(async () => {
      const application = (await this.applications.findById(environmentId, id)) ?? notFound();
      // A racing delete that got there first leaves nothing to delete: 404, and no second event.
      if (!(await this.applications.delete(environmentId, id))) notFound();
      await this.events.record('APPLICATION.DELETED', application, context, 'Application deleted, with its role assignments');
    });
    this.resolver.invalidate(id);
  }

  private async createWithSecret(
    environmentId: string,
    fields: ApplicationFields,
    context: EventContext,
  ): Promise<{ application: Application; clientSecret: string }> {
    const id = randomUUID();
    const clientSecret = generateClientSecret();
    const secret = await sealClientSecret(this.box, id, clientSecret);
    const application = await this.transactions.run(async () => {
      const created = await this.applications.create(environmentId, id, fields, secret);
      await this.events.record('APPLICATION.CREATED', created, context, 'Worker application created');
      return created;
    });
    return { application, clientSecret };
  }
}

function fieldsOf(body: ApplicationBodyDto): ApplicationFields {
  return { name: body.name, description: body.description ?? null, enabled: body.enabled ?? true };
}

function notFound(): never {
  throw new ApplicationNotFound();
}
