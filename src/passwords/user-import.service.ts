import type { Reach } from '../common/authorization/access.js';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import { type User, UsersService } from '../users/index.js';
import type { UserImportDto } from './dto/password-actions.dto.js';
import { hashCostExcesses, isSupportedHash } from './password-hasher.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { PasswordPoliciesService } from './password-policies.service.js';
import { PasswordsRepository } from './passwords.repository.js';
import { PasswordsService } from './passwords.service.js';

/**
 * `user.import+json`: creates a user with a password, cleartext (policy-checked, then hashed) or
 * already hashed with argon2 or bcrypt (kept; a bcrypt hash becomes argon2id at the first
 * successful check). One transaction: USER.CREATED and PASSWORD.SET, or nothing.
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
  ) {}

  async importUser(environmentId: string, body: UserImportDto, context: RequestContext, reach: Reach): Promise<User> {
    const { password, ...attributes } = body;
    const hash = isSupportedHash(password.value) ? acceptableHash(password.value) : await this.hashCleartext(environmentId, body);
    return this.transactions.run(async () => {
      const user = await this.users.create(environmentId, attributes, context, reach);
      const status = password.forceChange ? 'MUST_CHANGE_PASSWORD' : 'OK';
      const withPassword = await this.passwordStore.setPassword(user.id, hash, status, new Date());
      await this.events.record({ type: 'PASSWORD.SET', subject: withPassword, context, description: 'Password imported' });
      return withPassword;
    });
  }

  private async hashCleartext(environmentId: string, body: UserImportDto): Promise<string> {
    const policy = body.population?.id
      ? await this.policies.forPopulation(environmentId, body.population.id)
      : await this.policies.forEnvironment(environmentId);
    const profile = { username: body.username, email: body.email ?? null, given: body.name?.given, family: body.name?.family };
    return this.passwords.acceptableHash(profile, undefined, policy, body.password.value, 'password.value');
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
