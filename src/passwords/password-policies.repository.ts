import { Injectable } from '@nestjs/common';
import { UniquenessViolation } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { PasswordPolicy as PolicyRow, Prisma } from '../generated/prisma/client.js';
import type { PasswordPolicy } from './password-policy.js';

export type PolicyFields = Omit<PasswordPolicy, 'id' | 'environmentId' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class PasswordPoliciesRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async list(environmentId: string): Promise<PasswordPolicy[]> {
    const rows = await this.txHost.tx.passwordPolicy.findMany({ where: { environmentId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(toPolicy);
  }

  async findById(environmentId: string, id: string): Promise<PasswordPolicy | null> {
    const row = await this.txHost.tx.passwordPolicy.findFirst({ where: { environmentId, id } });
    return row ? toPolicy(row) : null;
  }

  async findDefault(environmentId: string): Promise<PasswordPolicy | null> {
    const row = await this.txHost.tx.passwordPolicy.findFirst({ where: { environmentId, isDefault: true }, orderBy: { createdAt: 'asc' } });
    return row ? toPolicy(row) : null;
  }

  /** The policy a user is held to: their population's, else the environment's default. */
  async findForPopulation(environmentId: string, populationId: string): Promise<PasswordPolicy | null> {
    const population = await this.txHost.tx.population.findFirst({
      where: { environmentId, id: populationId },
      select: { passwordPolicy: true },
    });
    if (population?.passwordPolicy) return toPolicy(population.passwordPolicy);
    const fallback = await this.txHost.tx.passwordPolicy.findFirst({
      where: { environmentId, isDefault: true },
      orderBy: { createdAt: 'asc' },
    });
    return fallback ? toPolicy(fallback) : null;
  }

  async create(environmentId: string, id: string, fields: PolicyFields): Promise<PasswordPolicy> {
    const row = await this.txHost.withUniqueConstraint(
      () => this.txHost.tx.passwordPolicy.create({ data: { id, environmentId, ...toColumns(fields) } }),
      () => this.nameConflict(environmentId, fields.name),
    );
    return toPolicy(row);
  }

  async update(environmentId: string, id: string, fields: PolicyFields): Promise<PasswordPolicy | null> {
    const [row] = await this.txHost.withUniqueConstraint(
      () => this.txHost.tx.passwordPolicy.updateManyAndReturn({ where: { environmentId, id }, data: toColumns(fields) }),
      () => this.nameConflict(environmentId, fields.name),
    );
    return row ? toPolicy(row) : null;
  }

  /** Makes every other policy of the environment non-default (one default per environment). */
  async clearDefaultExcept(environmentId: string, id: string): Promise<void> {
    await this.txHost.tx.passwordPolicy.updateMany({ where: { environmentId, isDefault: true, NOT: { id } }, data: { isDefault: false } });
  }

  async delete(environmentId: string, id: string): Promise<boolean> {
    return (await this.txHost.tx.passwordPolicy.deleteMany({ where: { environmentId, id } })).count === 1;
  }

  private async nameConflict(environmentId: string, name: string): Promise<UniquenessViolation> {
    const existing = await this.txHost.tx.passwordPolicy.findFirst({ where: { environmentId, name }, select: { id: true } });
    return new UniquenessViolation('name', existing?.id);
  }
}

/** The one mapping from a policy to its columns. */
function toColumns(f: PolicyFields): Omit<Prisma.PasswordPolicyUncheckedCreateInput, 'id' | 'environmentId'> {
  return {
    name: f.name,
    description: f.description,
    isDefault: f.isDefault,
    lockoutFailureCount: f.lockout.failureCount,
    lockoutDurationSeconds: f.lockout.durationSeconds,
    lengthMin: f.length.min,
    lengthMax: f.length.max,
    minCharacters: f.minCharacters ?? undefined,
    historyCount: f.history?.count ?? null,
    historyRetentionDays: f.history?.retentionDays ?? null,
    maxRepeatedCharacters: f.maxRepeatedCharacters,
    excludesCommonlyUsed: f.excludesCommonlyUsed,
    excludesProfileData: f.excludesProfileData,
    maxAgeDays: f.maxAgeDays,
  };
}

function toPolicy(row: PolicyRow): PasswordPolicy {
  return {
    id: row.id,
    environmentId: row.environmentId,
    name: row.name,
    description: row.description,
    isDefault: row.isDefault,
    lockout: { failureCount: row.lockoutFailureCount, durationSeconds: row.lockoutDurationSeconds },
    length: { min: row.lengthMin, max: row.lengthMax },
    minCharacters: (row.minCharacters as Record<string, number> | null) ?? null,
    history: row.historyCount === null ? null : { count: row.historyCount, retentionDays: row.historyRetentionDays },
    maxRepeatedCharacters: row.maxRepeatedCharacters,
    excludesCommonlyUsed: row.excludesCommonlyUsed,
    excludesProfileData: row.excludesProfileData,
    maxAgeDays: row.maxAgeDays,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
