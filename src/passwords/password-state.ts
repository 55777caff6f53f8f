import { isPasswordLocked, type User } from '../users/index.js';
import type { PasswordPolicy } from './password-policy.js';

export type PasswordStatus = 'OK' | 'NO_PASSWORD' | 'PASSWORD_EXPIRED' | 'PASSWORD_LOCKED_OUT' | 'MUST_CHANGE_PASSWORD';

export interface PasswordView {
  status: PasswordStatus;
  lastChangedAt: Date | null;
  secondsUntilUnlock?: number;
  failuresRemaining?: number;
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
