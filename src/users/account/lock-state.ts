import type { LockState, PasswordState } from '../user.js';

/**
 * The one rule for every lock the service keeps (the account lock, and the password lock beneath
 * it): a lock holds at `now` while it is set and its end, if it has one, is still ahead. At its
 * end it stops holding at once, for every reader, before anything persists the transition.
 * `lock.query.ts` renders the same rule as SQL and as a Prisma condition.
 */
export function holdsAt(lock: { set: boolean; until: Date | null }, now: Date): boolean {
  return lock.set && (lock.until === null || lock.until.getTime() > now.getTime());
}

/** The account's lock as callers see it at `now`: an expired timed lock reads as no lock. */
export function effectiveLock(lock: LockState, now: Date): LockState {
  if (lock.status === 'LOCKED' && !isLocked(lock, now)) return { status: 'OK', reason: null, lockedAt: null, unlockAt: null };
  return lock;
}

export function isLocked(lock: LockState, now: Date): boolean {
  return holdsAt({ set: lock.status === 'LOCKED', until: lock.unlockAt }, now);
}

/** The password lock holds while `passwordLockedAt` is set and its `passwordUnlockAt` is ahead. */
export function isPasswordLocked(user: { password: PasswordState }, now: Date): boolean {
  return holdsAt({ set: user.password.lockedAt !== null, until: user.password.unlockAt }, now);
}

/** Whether a credential check must be refused without counting: the password or the account is locked. */
export function refusesChecks(user: { password: PasswordState; lock: LockState }, now: Date): boolean {
  return isPasswordLocked(user, now) || isLocked(user.lock, now);
}

/** When a lockout's lock that starts at `now` ends. */
export function lockEnd(now: Date, lockout: { durationSeconds: number }): Date {
  return new Date(now.getTime() + lockout.durationSeconds * 1000);
}

/** A user can authenticate only while enabled and not locked. */
export function canAuthenticate(user: { enabled: boolean; lock: LockState }, now: Date): boolean {
  return user.enabled && !isLocked(user.lock, now);
}

/** Whole seconds until a timed lock ends, rounded up; undefined when no timed lock applies. */
export function secondsUntilUnlock(lock: LockState, now: Date): number | undefined {
  if (!isLocked(lock, now) || lock.unlockAt === null) return undefined;
  return Math.ceil((lock.unlockAt.getTime() - now.getTime()) / 1000);
}
