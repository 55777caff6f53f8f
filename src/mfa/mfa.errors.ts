import { DomainError, ResourceNotFound, ValidationFailed } from '../common/errors/domain-error.js';

export class DeviceNotFound extends ResourceNotFound {
  constructor() {
    super('device');
  }
}

/** A wrong or already used code: 400 INVALID_DATA, detail INVALID_OTP. */
export class InvalidOtp extends ValidationFailed {
  constructor(failuresRemaining: number) {
    super([
      {
        code: 'INVALID_OTP',
        target: 'otp',
        message: 'The one-time passcode is not valid.',
        innerError: { failuresRemaining },
      },
    ]);
  }
}

/** The account is locked, so no check is made: 400 REQUEST_FAILED, detail ACCOUNT_LOCKED. */
export class AccountLocked extends DomainError {
  constructor(secondsUntilUnlock: number | undefined) {
    super('STATE_CONFLICT', 'account locked', [
      {
        code: 'ACCOUNT_LOCKED',
        message: 'The account is locked.',
        ...(secondsUntilUnlock === undefined ? {} : { innerError: { secondsUntilUnlock } }),
      },
    ]);
  }
}

/**
 * The user is disabled: PingOne refuses authentication for a disabled user, so its code is not
 * checked (right or wrong, the same answer, nothing counted), as with a password check.
 */
export class UserDisabled extends DomainError {
  constructor() {
    super('STATE_CONFLICT', 'user disabled', [
      { code: 'ACCOUNT_NOT_USABLE', target: 'otp', message: 'The user is disabled: its one-time passcode cannot be checked.' },
    ]);
  }
}
