import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ResourceNotFound, ValidationFailed } from '../common/errors/domain-error.js';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import type { PopulationBodyDto } from './dto/population.dto.js';
import { type Population, type PopulationFields, PopulationsRepository } from './populations.repository.js';

/** Populations group users; each may name the password policy its users are held to. */
@Injectable()
export class PopulationsService {
  constructor(
    private readonly populations: PopulationsRepository,
    private readonly transactions: TransactionHost,
    private readonly events: OutboxWriter,
  ) {}

  list(environmentId: string): Promise<Population[]> {
    return this.populations.list(environmentId);
  }

  exists(environmentId: string, id: string): Promise<boolean> {
    return this.populations.exists(environmentId, id);
  }

  /** The population a user joins when none is named. */
  defaultId(environmentId: string): Promise<string | null> {
    return this.populations.findDefaultId(environmentId);
  }

  async get(environmentId: string, id: string): Promise<Population> {
    return (await this.populations.findById(environmentId, id)) ?? notFound();
  }

  create(environmentId: string, body: PopulationBodyDto, context: RequestContext): Promise<Population> {
    return this.transactions.run(async () => {
      const population = await this.populations.create(environmentId, randomUUID(), await this.fields(environmentId, body));
      await this.record('POPULATION.CREATED', population, context, `Created population ${population.name}`);
      return population;
    });
  }

  replace(environmentId: string, id: string, body: PopulationBodyDto, context: RequestContext): Promise<Population> {
    return this.transactions.run(async () => {
      const population = (await this.populations.update(environmentId, id, await this.fields(environmentId, body))) ?? notFound();
      await this.record('POPULATION.UPDATED', population, context, `Updated population ${population.name}`);
      return population;
    });
  }

  private async record(
    type: 'POPULATION.CREATED' | 'POPULATION.UPDATED',
    population: Population,
    context: RequestContext,
    description: string,
  ): Promise<void> {
    const { id, name, environmentId } = population;
    await this.events.record({
      type,
      context,
      resource: { type: 'POPULATION', id, name, environmentId, path: `populations/${id}` },
      description,
    });
  }

  private async fields(environmentId: string, body: PopulationBodyDto): Promise<PopulationFields> {
    const policyId = body.passwordPolicy?.id ?? null;
    if (policyId && !(await this.populations.policyExists(environmentId, policyId))) {
      throw new ValidationFailed([
        { code: 'INVALID_VALUE', target: 'passwordPolicy.id', message: 'No password policy with this id exists in the environment.' },
      ]);
    }
    return { name: body.name, passwordPolicyId: policyId };
  }
}

function notFound(): never {
  throw new ResourceNotFound('population');
}
