import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import { LockExpiryService } from '../lockout/lock-expiry.service.js';
import { secondsUntilUnlock } from '../users/lock-state.js';
import type { MfaDevice } from './device.js';
import type { MfaFailure } from './mfa-lockout.js';
import { AccountLocked, DeviceNotFound, InvalidOtp } from './mfa.errors.js';
import { MfaLockoutRepository } from './mfa-lockout.repository.js';
import { failuresRemaining, type MfaLockout, mfaLockEnd } from './mfa-settings.js';
import { MfaDevicesRepository } from './mfa-devices.repository.js';
import { MfaSettingsService } from './mfa-settings.service.js';
import { matchingTimeStep } from './totp.js';

type Outcome = { accepted: true; device: MfaDevice } | { accepted: false; failuresRemaining: number };

/**
 * Checks a TOTP code and keeps the MFA lockout: a good code resets the user's failure counter, a
 * wrong or reused one counts, and the failure that reaches the environment's limit locks the
 * account. While the account is locked nothing is checked or counted; an MFA lock that has
 * expired is released first, so counting starts again from 0.
 */
@Injectable()
export class OtpCheckService {
  constructor(
    private readonly devices: MfaDevicesRepository,
    private readonly lockout: MfaLockoutRepository,
    private readonly settings: MfaSettingsService,
    private readonly events: OutboxWriter,
    private readonly transactions: TransactionHost,
    private readonly expiry: LockExpiryService,
  ) {}

  async check(environmentId: string, userId: string, deviceId: string, otp: string, context: RequestContext): Promise<MfaDevice> {
    const now = new Date();
    // A failure is committed (counter and events) before it is reported, so the outcome leaves
    // the transaction as a value; a refusal while locked is thrown and leaves nothing behind.
    const outcome = await this.transactions.run(async (): Promise<Outcome> => {
      const found = (await this.devices.findWithSecret(environmentId, userId, deviceId)) ?? deviceNotFound();
      await this.releaseExpiredLock(environmentId, userId, now, context);
      const step = matchingTimeStep(found.secret, otp, now);
      if (step !== null && (await this.devices.claimTimeStep(deviceId, step))) {
        const subject =
          (await this.lockout.resetFailures(environmentId, userId, now)) ?? (await this.refuseLocked(environmentId, userId, now));
        await this.events.record({
          type: 'OTP.CHECK_SUCCESS',
          subject,
          context,
          description: `OTP check succeeded for TOTP device ${deviceId}`,
        });
        return { accepted: true, device: found.device };
      }
      const { lockout } = await this.settings.get(environmentId);
      const failure =
        (await this.lockout.recordFailure(environmentId, userId, lockout.failureCount, mfaLockEnd(now, lockout), now)) ??
        (await this.refuseLocked(environmentId, userId, now));
      await this.recordFailure(failure, lockout, deviceId, step === null ? 'wrong code' : 'code already used', context);
      return { accepted: false, failuresRemaining: failuresRemaining(failure.failures, lockout) };
    });
    if (!outcome.accepted) throw new InvalidOtp(outcome.failuresRemaining);
    return outcome.device;
  }

  /**
   * An MFA lock past its unlockAt is persisted as released before the check counts (with the
   * automatic USER.UNLOCKED the sweeper would have recorded), so failures after the expiry count
   * from 0 and a later sweep does not forgive them.
   */
  private async releaseExpiredLock(environmentId: string, userId: string, now: Date, context: RequestContext): Promise<void> {
    await this.expiry.releaseIfExpired(environmentId, userId, 'MFA', now, context.correlationId);
  }

  private async recordFailure(
    failure: MfaFailure,
    lockout: MfaLockout,
    deviceId: string,
    reason: string,
    context: RequestContext,
  ): Promise<void> {
    const { subject, failures } = failure;
    await this.events.record({
      type: 'OTP.CHECK_FAILED',
      subject,
      context,
      status: 'FAILED',
      description: `OTP check failed for TOTP device ${deviceId}: ${reason} (${failures} of ${lockout.failureCount} failures)`,
    });
    if (!failure.locked) return;
    const until = failure.unlockAt ? ` until ${failure.unlockAt.toISOString()}` : '';
    await this.events.record({
      type: 'USER.LOCKED',
      subject,
      context,
      description: `Account locked by the MFA lockout after ${failures} failed OTP checks${until}`,
    });
  }

  /** The account was locked when the statement ran: answer with the time left, change nothing. */
  private async refuseLocked(environmentId: string, userId: string, now: Date): Promise<never> {
    const lock = (await this.lockout.findLockState(environmentId, userId)) ?? deviceNotFound();
    throw new AccountLocked(secondsUntilUnlock(lock, now));
  }
}

function deviceNotFound(): never {
  throw new DeviceNotFound();
}
