import { DomainError, ValidationFailed } from '../common/errors/domain-error.js';

export class PasswordLockedOut extends DomainError {
  constructor(secondsUntilUnlock: number | undefined) {
    super('STATE_CONFLICT', 'password locked out', [
      {
        code: 'PASSWORD_LOCKED_OUT',
        target: 'password',
        message: 'Too many failed password checks: the password is locked.',
        ...(secondsUntilUnlock !== undefined ? { innerError: { secondsUntilUnlock } } : {}),
      },
    ]);
  }
}

export class AccountLocked extends DomainError {
  constructor(secondsUntilUnlock: number | undefined) {
    super('STATE_CONFLICT', 'account locked', [
      {
        code: 'ACCOUNT_LOCKED',
        message: 'The account is locked.',
        ...(secondsUntilUnlock !== undefined ? { innerError: { secondsUntilUnlock } } : {}),
      },
    ]);
  }
}

/**
 * The user is disabled: PingOne's user cannot authenticate then, so its password is not checked
 * (right or wrong, the same answer, nothing counted). The detail code is PingOne's
 * (`ACCOUNT_NOT_USABLE`, in its 400 detail codes); its use here is this service's reading of it.
 */
export class AccountNotUsable extends DomainError {
  constructor() {
    super('STATE_CONFLICT', 'user disabled', [
      { code: 'ACCOUNT_NOT_USABLE', target: 'password', message: 'The user is disabled: its password cannot be checked.' },
    ]);
  }
}

export class NoPassword extends DomainError {
  constructor() {
    super('STATE_CONFLICT', 'no password', [{ code: 'NO_PASSWORD', target: 'password', message: 'The user has no password.' }]);
  }
}

/** A wrong password: how many failures remain before the lock, or that this one locked it. */
export class PasswordMismatch extends ValidationFailed {
  constructor(target: string, failuresRemaining: number, lockedForSeconds?: number) {
    super([
      { code: 'INVALID_VALUE', target, message: 'The password is not correct.', innerError: { failuresRemaining } },
      ...(lockedForSeconds !== undefined
        ? [
            {
              code: 'PASSWORD_LOCKED_OUT',
              target,
              message: 'Too many failed password checks: the password is locked.',
              innerError: { secondsUntilUnlock: lockedForSeconds },
            },
          ]
        : []),
    ]);
  }
}
