import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { RateLimits } from '../rate-limits/index.js';
import { AccountService, secondsUntilUnlock } from '../users/index.js';
import type { MfaDevice } from './device.js';
import { AccountLocked, DeviceNotFound, InvalidOtp, UserDisabled } from './mfa.errors.js';
import { failuresRemaining } from './mfa-settings.js';
import { MfaDevicesRepository } from './mfa-devices.repository.js';
import { DeviceSecrets } from './device-secrets.js';
import { MfaSettingsService } from './mfa-settings.service.js';
import { matchingTimeStep } from './totp.js';

type Outcome = { accepted: true; device: MfaDevice } | { accepted: false; failuresRemaining: number };

/**
 * Checks a TOTP code and keeps the MFA lockout: a good code resets the user's failure counter, a
 * wrong or reused one counts, and the failure that reaches the environment's limit locks the
 * account (AccountService decides and records both). While the account is locked nothing is
 * checked or counted; an MFA lock that has expired is released first, so counting starts again from 0.
 */
@Injectable()
export class OtpCheckService {
  constructor(
    private readonly devices: MfaDevicesRepository,
    private readonly account: AccountService,
    private readonly settings: MfaSettingsService,
    private readonly transactions: TransactionHost,
    private readonly limits: RateLimits,
    private readonly secrets: DeviceSecrets,
  ) {}

  async check(environmentId: string, userId: string, deviceId: string, otp: string, context: RequestContext): Promise<MfaDevice> {
    // Rate limits first (docs/rate-limits.md): a spent budget answers 429 before the code is looked at.
    const attempt = await this.limits.attempt('otp', `${environmentId}/${userId}`, context.sourceAddress);
    const now = new Date();
    // A failure is committed (counter and events) before it is reported, so the outcome leaves
    // the transaction as a value; a refusal while locked is thrown and leaves nothing behind.
    const outcome = await this.transactions.run(async (): Promise<Outcome> => {
      const found = (await this.devices.findWithSecret(environmentId, userId, deviceId)) ?? deviceNotFound();
      // Before anything is verified or counted: a disabled user's code is no credential, right or wrong.
      if (!found.userEnabled) throw new UserDisabled();
      // An MFA lock past its unlockAt is persisted as released before the check counts (with the
      // automatic USER.UNLOCKED the sweeper would have recorded), so failures after the expiry
      // count from 0 and a later sweep does not forgive them.
      await this.account.releaseIfExpired(environmentId, userId, 'MFA', now, context.correlationId);
      const step = matchingTimeStep(await this.secrets.open(deviceId, found.secret), otp, now);
      if (step !== null && (await this.devices.claimTimeStep(deviceId, step))) {
        const succeeded = { type: 'OTP.CHECK_SUCCESS', description: `OTP check succeeded for TOTP device ${deviceId}` } as const;
        if (!(await this.account.clearMfaFailures(environmentId, userId, context, succeeded)))
          await this.refuseLocked(environmentId, userId);
        return { accepted: true, device: found.device };
      }
      const { lockout } = await this.settings.get(environmentId);
      const reason = step === null ? 'wrong code' : 'code already used';
      const failure =
        (await this.account.countMfaFailure(environmentId, userId, lockout, context, ({ failures }) => ({
          type: 'OTP.CHECK_FAILED',
          status: 'FAILED',
          description: `OTP check failed for TOTP device ${deviceId}: ${reason} (${failures} of ${lockout.failureCount} failures)`,
        }))) ?? (await this.refuseLocked(environmentId, userId));
      return { accepted: false, failuresRemaining: failuresRemaining(failure.failures, lockout) };
    });
    if (!outcome.accepted) throw new InvalidOtp(outcome.failuresRemaining);
    await attempt.succeeded();
    return outcome.device;
  }

  /** The account was locked when the statement ran: answer with the time left, change nothing. */
  private async refuseLocked(environmentId: string, userId: string): Promise<never> {
    const lock = (await this.account.lockState(environmentId, userId)) ?? deviceNotFound();
    throw new AccountLocked(secondsUntilUnlock(lock, new Date()));
  }
}

function deviceNotFound(): never {
  throw new DeviceNotFound();
}
