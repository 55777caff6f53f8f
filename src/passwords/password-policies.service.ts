import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, ResourceNotFound, ValidationFailed, type ErrorDetail } from '../common/errors/domain-error.js';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import type { PasswordPolicyDto } from './dto/password-policy.dto.js';
import { PasswordPoliciesRepository, type PolicyFields } from './password-policies.repository.js';
import { type PasswordPolicy, standardPolicy } from './password-policy.js';

/** Password policies of an environment: exactly one is the default at any time. */
@Injectable()
export class PasswordPoliciesService {
  constructor(
    private readonly policies: PasswordPoliciesRepository,
    private readonly transactions: TransactionHost,
    private readonly events: OutboxWriter,
  ) {}

  list(environmentId: string): Promise<PasswordPolicy[]> {
    return this.policies.list(environmentId);
  }

  async get(environmentId: string, id: string): Promise<PasswordPolicy> {
    return (await this.policies.findById(environmentId, id)) ?? notFound();
  }

  /** The policy that governs a user of this population (the Standard policy if none is stored). */
  async forPopulation(environmentId: string, populationId: string): Promise<PasswordPolicy> {
    return (await this.policies.findForPopulation(environmentId, populationId)) ?? standardPolicy(environmentId);
  }

  /** The environment's default policy (the Standard policy if none is stored). */
  async forEnvironment(environmentId: string): Promise<PasswordPolicy> {
    return (await this.policies.findDefault(environmentId)) ?? standardPolicy(environmentId);
  }

  /** PingOne's Standard policy, as the default of a new environment. */
  createStandard(environmentId: string): Promise<PasswordPolicy> {
    const { id: _id, environmentId: _env, createdAt: _created, updatedAt: _updated, ...fields } = standardPolicy(environmentId);
    return this.transactions.run(() => this.policies.create(environmentId, randomUUID(), fields));
  }

  create(environmentId: string, body: PasswordPolicyDto, context: RequestContext): Promise<PasswordPolicy> {
    const fields = toFields(environmentId, body);
    return this.transactions.run(async () => {
      const policy = await this.policies.create(environmentId, randomUUID(), fields);
      if (policy.isDefault) await this.policies.clearDefaultExcept(environmentId, policy.id as string);
      await this.record('PASSWORD_POLICY.CREATED', policy, context, `Created password policy ${policy.name}${defaultNote(policy)}`);
      return policy;
    });
  }

  replace(environmentId: string, id: string, body: PasswordPolicyDto, context: RequestContext): Promise<PasswordPolicy> {
    const fields = toFields(environmentId, body);
    return this.transactions.run(async () => {
      const current = (await this.policies.findById(environmentId, id)) ?? notFound();
      if (current.isDefault && !fields.isDefault) {
        throw new ValidationFailed([{ code: 'INVALID_VALUE', target: 'default', message: 'Make another policy the default instead.' }]);
      }
      const policy = (await this.policies.update(environmentId, id, fields)) ?? notFound();
      if (policy.isDefault) await this.policies.clearDefaultExcept(environmentId, id);
      await this.record('PASSWORD_POLICY.UPDATED', policy, context, `Updated password policy ${policy.name}${defaultNote(policy)}`);
      return policy;
    });
  }

  delete(environmentId: string, id: string, context: RequestContext): Promise<void> {
    return this.transactions.run(async () => {
      const current = (await this.policies.findById(environmentId, id)) ?? notFound();
      if (current.isDefault)
        throw new DomainError('STATE_CONFLICT', 'default policy', [
          { code: 'INVALID_VALUE', target: 'default', message: 'The default password policy cannot be deleted.' },
        ]);
      await this.policies.delete(environmentId, id);
      await this.record('PASSWORD_POLICY.DELETED', current, context, `Deleted password policy ${current.name}`);
    });
  }

  private async record(type: EventType, policy: PasswordPolicy, context: RequestContext, description: string): Promise<void> {
    const id = policy.id as string;
    await this.events.record({
      type,
      context,
      resource: { type: 'PASSWORD_POLICY', id, name: policy.name, environmentId: policy.environmentId, path: `passwordPolicies/${id}` },
      description,
    });
  }
}

type EventType = 'PASSWORD_POLICY.CREATED' | 'PASSWORD_POLICY.UPDATED' | 'PASSWORD_POLICY.DELETED';

function defaultNote(policy: PasswordPolicy): string {
  return policy.isDefault ? ', the default of the environment' : '';
}

function notFound(): never {
  throw new ResourceNotFound('password policy');
}

function toFields(environmentId: string, body: PasswordPolicyDto): PolicyFields {
  const standard = standardPolicy(environmentId);
  const details: ErrorDetail[] = [];
  const length = body.length ?? standard.length;
  if (length.min > length.max) {
    details.push({ code: 'INVALID_VALUE', target: 'length.min', message: 'length.min must not exceed length.max.' });
  }
  const minCharacters = body.minCharacters === undefined ? standard.minCharacters : checkMinCharacters(body.minCharacters, details);
  if (details.length > 0) throw new ValidationFailed(details);
  return {
    name: body.name,
    description: body.description ?? null,
    isDefault: body.default ?? false,
    lockout: body.lockout ?? standard.lockout,
    length,
    minCharacters,
    history: body.history ? { count: body.history.count, retentionDays: body.history.retentionDays ?? null } : standard.history,
    maxRepeatedCharacters: body.maxRepeatedCharacters ?? standard.maxRepeatedCharacters,
    excludesCommonlyUsed: body.excludesCommonlyUsed ?? standard.excludesCommonlyUsed,
    excludesProfileData: body.excludesProfileData ?? standard.excludesProfileData,
    maxAgeDays: body.maxAgeDays ?? null,
  };
}

function checkMinCharacters(value: Record<string, unknown>, details: ErrorDetail[]): Record<string, number> {
  for (const [characters, count] of Object.entries(value)) {
    if (characters.length === 0 || typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 255) {
      details.push({ code: 'INVALID_VALUE', target: `minCharacters`, message: 'Each character set needs a whole number from 1 to 255.' });
    }
  }
  return value as Record<string, number>;
}
