import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';

/** The few reads authorization needs about what a request touches. */
@Injectable()
export class AccessTargetsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** The user's population, or null when the environment has no such user. */
  async populationOfUser(environmentId: string, userId: string): Promise<string | null> {
    const user = await this.txHost.tx.user.findFirst({ where: { id: userId, environmentId }, select: { populationId: true } });
    return user?.populationId ?? null;
  }

  /** The group's population (null: environment-wide), or undefined when the environment has no such group. */
  async groupScope(environmentId: string, groupId: string): Promise<{ populationId: string | null } | undefined> {
    return (await this.txHost.tx.group.findFirst({ where: { id: groupId, environmentId }, select: { populationId: true } })) ?? undefined;
  }

  async defaultPopulation(environmentId: string): Promise<string | null> {
    const population = await this.txHost.tx.population.findFirst({ where: { environmentId, isDefault: true }, select: { id: true } });
    return population?.id ?? null;
  }

  async populationExists(environmentId: string, populationId: string): Promise<boolean> {
    return (await this.txHost.tx.population.count({ where: { id: populationId, environmentId } })) === 1;
  }

  async applicationExists(environmentId: string, applicationId: string): Promise<boolean> {
    return (await this.txHost.tx.application.count({ where: { id: applicationId, environmentId } })) === 1;
  }

  async userExists(environmentId: string, userId: string): Promise<boolean> {
    return (await this.populationOfUser(environmentId, userId)) !== null;
  }
}
