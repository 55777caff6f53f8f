import { describe, expect, it } from '@jest/globals';
import { canAuthenticate, effectiveLock, secondsUntilUnlock } from '../../src/users/account/lock-state.js';
import type { LockState } from '../../src/users/user.js';

const now = new Date('2026-01-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const locked = (unlockAt: Date | null): LockState => ({ status: 'LOCKED', reason: 'PASSWORD', lockedAt: at(-60_000), unlockAt });
const open: LockState = { status: 'OK', reason: null, lockedAt: null, unlockAt: null };

describe('lock state rules', () => {
  it('a timed lock holds until unlockAt and reads as unlocked from that instant', () => {
    expect(effectiveLock(locked(at(1)), now).status).toBe('LOCKED');
    expect(effectiveLock(locked(at(0)), now)).toEqual(open);
    expect(effectiveLock(locked(at(-1)), now)).toEqual(open);
  });

  it('a lock without unlockAt never expires', () => {
    expect(effectiveLock(locked(null), at(10 * 365 * 86_400_000)).status).toBe('LOCKED');
  });

  it('canAuthenticate needs enabled and not locked', () => {
    expect(canAuthenticate({ enabled: true, lock: open }, now)).toBe(true);
    expect(canAuthenticate({ enabled: false, lock: open }, now)).toBe(false);
    expect(canAuthenticate({ enabled: true, lock: locked(null) }, now)).toBe(false);
    expect(canAuthenticate({ enabled: true, lock: locked(at(-1)) }, now)).toBe(true);
    expect(canAuthenticate({ enabled: false, lock: locked(at(-1)) }, now)).toBe(false);
  });

  it('secondsUntilUnlock rounds up and is absent when no timed lock applies', () => {
    expect(secondsUntilUnlock(locked(at(900_000)), now)).toBe(900);
    expect(secondsUntilUnlock(locked(at(1)), now)).toBe(1);
    expect(secondsUntilUnlock(locked(at(1_500)), now)).toBe(2);
    expect(secondsUntilUnlock(locked(at(0)), now)).toBeUndefined();
    expect(secondsUntilUnlock(locked(null), now)).toBeUndefined();
    expect(secondsUntilUnlock(open, now)).toBeUndefined();
  });
});
