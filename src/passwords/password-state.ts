import { isLocked } from '../users/lock-state.js';
import type { User } from '../users/user.js';
import type { PasswordPolicy } from './password-policy.js';

export type PasswordStatus = 'OK' | 'NO_PASSWORD' | 'PASSWORD_EXPIRED' | 'PASSWORD_LOCKED_OUT' | 'MUST_CHANGE_PASSWORD';

export interface PasswordView {
  status: PasswordStatus;
  lastChangedAt: Date | null;
  secondsUntilUnlock?: number;
  failuresRemaining?: number;
}

/** The password lock holds while `passwordLockedAt` is set and its `passwordUnlockAt` is ahead. */
export function isPasswordLocked(user: Pick<User, 'password'>, now: Date): boolean {
  const { lockedAt, unlockAt } = user.password;
  return lockedAt !== null && (unlockAt === null || unlockAt.getTime() > now.getTime());
}

/** Whether a check must be refused without counting: the password or the account is locked. */
export function refusesChecks(user: Pick<User, 'password' | 'lock'>, now: Date): boolean {
  return isPasswordLocked(user, now) || isLocked(user.lock, now);
}

/** The password state PingOne reports, derived at `now` from the stored state and the policy. */
export function passwordView(user: User, policy: PasswordPolicy, now: Date): PasswordView {
  const { password } = user;
  const view = (status: PasswordStatus, extra: Partial<PasswordView> = {}): PasswordView => ({
    status,
    lastChangedAt: password.changedAt,
    ...extra,
  });
  if (password.status === 'NO_PASSWORD') return view('NO_PASSWORD');
  if (isPasswordLocked(user, now)) {
    const seconds = password.unlockAt ? Math.ceil((password.unlockAt.getTime() - now.getTime()) / 1000) : undefined;
    return view('PASSWORD_LOCKED_OUT', { failuresRemaining: 0, ...(seconds !== undefined ? { secondsUntilUnlock: seconds } : {}) });
  }
  // An expired password lock no longer counts its failures.
  const failures = password.lockedAt !== null ? 0 : user.passwordFailureCount;
  const failuresRemaining = Math.max(0, policy.lockout.failureCount - failures);
  if (password.status === 'MUST_CHANGE_PASSWORD') return view('MUST_CHANGE_PASSWORD', { failuresRemaining });
  if (policy.maxAgeDays !== null && password.changedAt !== null) {
    const expiresAt = password.changedAt.getTime() + policy.maxAgeDays * 86_400_000;
    if (expiresAt <= now.getTime()) return view('PASSWORD_EXPIRED', { failuresRemaining });
  }
  return view('OK', { failuresRemaining });
}
