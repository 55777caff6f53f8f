import type { LockState } from './user.js';

/**
 * The account's lock as callers see it at `now`: a timed lock whose `unlockAt` has passed reads
 * as unlocked at once, before anything persists the transition.
 */
export function effectiveLock(lock: LockState, now: Date): LockState {
  if (lock.status === 'LOCKED' && lock.unlockAt !== null && lock.unlockAt.getTime() <= now.getTime()) {
    return { status: 'OK', reason: null, lockedAt: null, unlockAt: null };
  }
  return lock;
}

export function isLocked(lock: LockState, now: Date): boolean {
  return effectiveLock(lock, now).status === 'LOCKED';
}

/** A user can authenticate only while enabled and not locked. */
export function canAuthenticate(user: { enabled: boolean; lock: LockState }, now: Date): boolean {
  return user.enabled && !isLocked(user.lock, now);
}

/** Whole seconds until a timed lock ends, rounded up; undefined when no timed lock applies. */
export function secondsUntilUnlock(lock: LockState, now: Date): number | undefined {
  const effective = effectiveLock(lock, now);
  if (effective.status !== 'LOCKED' || effective.unlockAt === null) return undefined;
  return Math.ceil((effective.unlockAt.getTime() - now.getTime()) / 1000);
}
