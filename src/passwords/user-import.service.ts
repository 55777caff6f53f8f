import type { Reach } from '../common/authorization/access.js';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import { AccountService, type User, UsersService } from '../users/index.js';
import type { UserImportDto } from './dto/user-import.dto.js';
import { importPlan } from './user-import.state.js';
import { hashCostExcesses, isSupportedHash } from './password-hasher.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { PasswordPoliciesService } from './password-policies.service.js';
import { PasswordsRepository } from './passwords.repository.js';
import { PasswordsService } from './passwords.service.js';

/**
 * `user.import+json`: creates a user, optionally with a password, cleartext (policy-checked, then
 * hashed) or already hashed with argon2 or bcrypt (kept; a bcrypt hash becomes argon2id at the
 * first successful check), and with what only an import sets (docs/api.md, "Import"). One
 * transaction: USER.CREATED, then PASSWORD.SET for a password and USER.LOCKED for a locked
 * account, or nothing.
 */
@Injectable()
export class UserImportService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly passwordStore: PasswordsRepository,
    private readonly policies: PasswordPoliciesService,
    private readonly events: OutboxWriter,
    private readonly transactions: TransactionHost,
    private readonly accounts: AccountService,
  ) {}

  async importUser(environmentId: string, body: UserImportDto, context: RequestContext, reach: Reach): Promise<User> {
    // The profile is read from the body's profile attributes; the import-only ones go through the plan.
    const { password, ...attributes } = body;
    const plan = importPlan(body);
    const hash = password === undefined ? undefined : await this.acceptablePassword(environmentId, body, password.value);
    return this.transactions.run(async () => {
      let user = await this.users.create(environmentId, attributes, context, reach, plan.state);
      if (password !== undefined && hash !== undefined) {
        const status = password.forceChange ? 'MUST_CHANGE_PASSWORD' : 'OK';
        user = await this.passwordStore.setPassword(user.id, hash, status, new Date());
        await this.events.record({ type: 'PASSWORD.SET', subject: user, context, description: 'Password imported' });
      }
      if (plan.lock) user = await this.accounts.lock(environmentId, user.id, undefined, context);
      return user;
    });
  }

  private async acceptablePassword(environmentId: string, body: UserImportDto, value: string): Promise<string> {
    return isSupportedHash(value) ? acceptableHash(value) : this.hashCleartext(environmentId, body, value);
  }

  private async hashCleartext(environmentId: string, body: UserImportDto, value: string): Promise<string> {
    const policy = body.population?.id
      ? await this.policies.forPopulation(environmentId, body.population.id)
      : await this.policies.forEnvironment(environmentId);
    const profile = { username: body.username, email: body.email ?? null, given: body.name?.given, family: body.name?.family };
    return this.passwords.acceptableHash(profile, undefined, policy, value, 'password.value');
  }
}

/** An imported hash as it is, unless verifying it would cost more than the service allows. */
function acceptableHash(hash: string): string {
  const excesses = hashCostExcesses(hash);
  if (excesses.length === 0) return hash;
  throw new ValidationFailed(
    excesses.map(({ parameter, value, maximumValue }) => ({
      code: 'INVALID_VALUE',
      target: 'password.value',
      message: `The hash's cost parameter ${parameter} is ${value}; the most this service verifies is ${maximumValue}.`,
      innerError: { parameter, maximumValue },
    })),
  );
}
