import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { Metrics } from '../common/metrics/metrics.js';
import { TransactionHost } from '../database/transaction-host.js';
import { type Attempt, RateLimits } from '../rate-limits/index.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import { AccountService, isPasswordLocked, refusesChecks, secondsUntilUnlock, type User, UserNotFound } from '../users/index.js';
import { isCommonPassword } from './common-passwords.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPoliciesService } from './password-policies.service.js';
import { type PasswordPolicy, policyViolations, type ProfileData } from './password-policy.js';
import { passwordView, type PasswordView } from './password-state.js';
import { AccountLocked, AccountNotUsable, NoPassword, PasswordLockedOut, PasswordMismatch } from './passwords.errors.js';
import { PasswordsRepository, type StoredPassword } from './passwords.repository.js';

export interface PasswordResult {
  user: User;
  view: PasswordView;
  policy: PasswordPolicy;
}

/**
 * Passwords and the password lockout. Hashing and verifying happen outside transactions (they
 * take tens of milliseconds); every state change is one transaction with its events. The lockout
 * itself (the counter and the locks) belongs to the account (AccountService).
 */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly passwords: PasswordsRepository,
    private readonly policies: PasswordPoliciesService,
    private readonly hasher: PasswordHasher,
    private readonly account: AccountService,
    private readonly events: OutboxWriter,
    private readonly transactions: TransactionHost,
    private readonly limits: RateLimits,
    private readonly metrics: Metrics,
  ) {}

  async state(environmentId: string, userId: string): Promise<PasswordResult> {
    const { user } = await this.load(environmentId, userId);
    return this.result(user);
  }

  async check(environmentId: string, userId: string, password: string, context: RequestContext): Promise<PasswordResult> {
    const attempt = await this.attempt(environmentId, userId, context);
    const stored = await this.load(environmentId, userId);
    await this.verifyOrCount(stored, password, 'password', context, attempt);
    const { user } = await this.load(environmentId, userId);
    return this.result(user);
  }

  /** Admin set (`password.set`): policy-checked; `forceChange` makes the user change it next. */
  async set(environmentId: string, userId: string, value: string, forceChange: boolean, context: RequestContext): Promise<PasswordResult> {
    const { user } = await this.load(environmentId, userId);
    const policy = await this.policies.forPopulation(environmentId, user.populationId);
    const hash = await this.acceptableHash(profileOf(user), user.id, policy, value, 'value');
    const updated = await this.transactions.run(async () => {
      const changed = await this.passwords.setPassword(user.id, hash, forceChange ? 'MUST_CHANGE_PASSWORD' : 'OK', new Date());
      await this.events.record({
        type: 'PASSWORD.SET',
        subject: changed,
        context,
        description: forceChange ? 'Password set; change required' : 'Password set',
      });
      return changed;
    });
    return this.result(updated, policy);
  }

  /**
   * `password.reset`. With `currentPassword` it is the user's own change: the current password is
   * checked (and a wrong one counts as a failed check). Without it, an administrator's reset,
   * which also clears a password lockout and records USER.UNLOCKED when the account was locked by it.
   */
  async reset(
    environmentId: string,
    userId: string,
    newPassword: string,
    currentPassword: string | undefined,
    context: RequestContext,
  ): Promise<PasswordResult> {
    const attempt = currentPassword === undefined ? undefined : await this.attempt(environmentId, userId, context);
    const stored = await this.load(environmentId, userId);
    if (attempt) await this.verifyOrCount(stored, currentPassword as string, 'currentPassword', context, attempt);
    const policy = await this.policies.forPopulation(environmentId, stored.user.populationId);
    const hash = await this.acceptableHash(profileOf(stored.user), stored.user.id, policy, newPassword, 'newPassword');
    const updated = await this.transactions.run(async () => {
      if (!(await this.passwords.lockRow(environmentId, userId))) notFound();
      const changed = await this.passwords.setPassword(userId, hash, 'OK', new Date());
      return this.account.clearPasswordLock(changed, context, {
        type: 'PASSWORD.RESET',
        description: currentPassword === undefined ? 'Password reset by an administrator' : 'Password changed by the user',
        accountUnlocked: 'Account unlocked: the password was reset',
      });
    });
    return this.result(updated, policy);
  }

  /** `password.unlock`: clears the password lock, and the account lock if it was its only cause. */
  async unlock(environmentId: string, userId: string, context: RequestContext): Promise<PasswordResult> {
    const user = await this.transactions.run(async () => {
      const current = (await this.passwords.lockRow(environmentId, userId)) ?? notFound();
      if (!isPasswordLocked(current, new Date())) return current;
      return this.account.clearPasswordLock(current, context, {
        type: 'PASSWORD.UNLOCKED',
        description: 'Password unlocked by an administrator',
        accountUnlocked: 'Account unlocked: its password lock was cleared',
      });
    });
    return this.result(user);
  }

  /** `password.forceChange`: the user must change the password at the next sign-on. */
  async forceChange(environmentId: string, userId: string, context: RequestContext): Promise<PasswordResult> {
    const user = await this.transactions.run(async () => {
      const current = (await this.passwords.lockRow(environmentId, userId)) ?? notFound();
      if (current.password.status === 'NO_PASSWORD') throw new NoPassword();
      if (current.password.status === 'MUST_CHANGE_PASSWORD') return current;
      const changed = await this.passwords.setStatus(userId, 'MUST_CHANGE_PASSWORD');
      await this.events.record({
        type: 'USER.UPDATED',
        subject: changed,
        context,
        description: 'Password change required at next sign-on',
      });
      return changed;
    });
    return this.result(user);
  }

  /** The hash to store for a new password, after the policy (and its history rule) accepts it. */
  async acceptableHash(
    profile: ProfileData,
    historyOf: string | undefined,
    policy: PasswordPolicy,
    password: string,
    target: string,
  ): Promise<string> {
    const details = policyViolations(password, policy, profile, isCommonPassword, target);
    if (policy.history && historyOf) {
      const recent = await this.passwords.recentHashes(historyOf, policy.history.count, policy.history.retentionDays, new Date());
      for (const hash of recent) {
        if (await this.hasher.verify(hash, password)) {
          details.push({
            code: 'INVALID_VALUE',
            target,
            message: `The password must differ from the last ${policy.history.count} passwords.`,
            innerError: { rule: 'history' },
          });
          break;
        }
      }
    }
    if (details.length > 0) throw new ValidationFailed(details);
    return this.hasher.hash(password);
  }

  /**
   * Rate limits first (docs/rate-limits.md): a spent budget answers 429 before anything is read,
   * verified or counted, so a refused guess costs one lookup in memory.
   */
  private attempt(environmentId: string, userId: string, context: RequestContext): Promise<Attempt> {
    return this.limits.attempt('password', `${environmentId}/${userId}`, context.sourceAddress);
  }

  /**
   * Verifies a password the way a check does: refused without counting while locked; a match
   * resets the count (PASSWORD.CHECK_SUCCEEDED); a mismatch counts one failure
   * (PASSWORD.CHECK_FAILED) and the failure that reaches the limit locks (USER.LOCKED). Each
   * outcome is counted in `identity_password_checks_total`, a counted one once it has committed.
   */
  private async verifyOrCount(
    stored: StoredPassword,
    password: string,
    target: string,
    context: RequestContext,
    attempt: Attempt,
  ): Promise<void> {
    const { user, hash } = stored;
    // Before anything is verified: a disabled user's password is no credential, right or wrong.
    if (!user.enabled) {
      this.metrics.passwordChecked('disabled');
      throw new AccountNotUsable();
    }
    if (refusesChecks(user, new Date())) this.refuseLocked(user, new Date());
    const matches = await this.hasher.verify(hash, password);
    if (hash === null) {
      this.metrics.passwordChecked('no_password');
      throw new NoPassword();
    }
    const policy = await this.policies.forPopulation(user.environmentId, user.populationId);
    if (matches) {
      const upgraded = this.hasher.needsRehash(hash) ? await this.hasher.hash(password) : undefined;
      const counted = await this.transactions.run(async () => {
        const cause = { type: 'PASSWORD.CHECK_SUCCEEDED', description: 'Password check succeeded' } as const;
        if (!(await this.account.clearPasswordFailures(user, context, cause))) return false;
        if (upgraded) await this.passwords.upgradeHash(user.id, hash, upgraded);
        this.transactions.afterCommit(() => this.metrics.passwordChecked('success'));
        return true;
      });
      if (!counted) await this.refuseLockedNow(user);
      await attempt.succeeded();
      return;
    }
    const { lockout } = policy;
    const outcome = await this.account.countPasswordFailure(user, lockout, context, (failures) => ({
      type: 'PASSWORD.CHECK_FAILED',
      status: 'FAILED',
      description: `Password check failed (${failures} of ${lockout.failureCount})`,
    }));
    if (!outcome.counted) await this.refuseLockedNow(user);
    this.transactions.afterCommit(() => this.metrics.passwordChecked('failure'));
    throw new PasswordMismatch(
      target,
      Math.max(0, lockout.failureCount - outcome.failureCount),
      outcome.lockedNow ? lockout.durationSeconds : undefined,
    );
  }

  private async refuseLockedNow(user: User): Promise<never> {
    const { user: current } = await this.load(user.environmentId, user.id);
    this.refuseLocked(current, new Date());
  }

  private refuseLocked(user: User, now: Date): never {
    const passwordLocked = isPasswordLocked(user, now);
    this.metrics.passwordChecked(passwordLocked ? 'password_locked' : 'account_locked');
    if (passwordLocked) {
      const unlockAt = user.password.unlockAt;
      throw new PasswordLockedOut(unlockAt ? Math.ceil((unlockAt.getTime() - now.getTime()) / 1000) : undefined);
    }
    throw new AccountLocked(secondsUntilUnlock(user.lock, now));
  }

  private async load(environmentId: string, userId: string): Promise<StoredPassword> {
    return (await this.passwords.findWithHash(environmentId, userId)) ?? notFound();
  }

  private async result(user: User, known?: PasswordPolicy): Promise<PasswordResult> {
    const policy = known ?? (await this.policies.forPopulation(user.environmentId, user.populationId));
    return { user, policy, view: passwordView(user, policy, new Date()) };
  }
}

function notFound(): never {
  throw new UserNotFound();
}

function profileOf(user: User): ProfileData {
  return { username: user.username, email: user.profile.email, given: user.profile.name.given, family: user.profile.name.family };
}
