/** How many failed MFA checks lock an account, and for how long. */
export interface MfaLockout {
  failureCount: number;
  durationSeconds: number;
}

/** An environment's MFA settings. `updatedAt` is null while the environment runs on the defaults. */
export interface MfaSettings {
  environmentId: string;
  lockout: MfaLockout;
  updatedAt: Date | null;
}

/** What an environment that never saved its MFA settings gets. */
export const DEFAULT_MFA_LOCKOUT: Readonly<MfaLockout> = { failureCount: 5, durationSeconds: 600 };

export const LOCKOUT_LIMITS = {
  failureCount: { min: 1, max: 100 },
  durationSeconds: { min: 1, max: 86_400 },
} as const;

/** Failed checks left before the lock; 0 once the limit is reached. */
export function failuresRemaining(failures: number, lockout: MfaLockout): number {
  return Math.max(0, lockout.failureCount - failures);
}
