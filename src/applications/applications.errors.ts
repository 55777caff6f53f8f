import { DomainError, ResourceNotFound, ValidationFailed } from '../common/errors/domain-error.js';

export class ApplicationNotFound extends ResourceNotFound {
  constructor() {
    super('application');
  }
}

/** Deleting or disabling the application whose token makes the call would lock the caller out. */
export class CannotLockOutItself extends DomainError {
  constructor(action: 'delete' | 'disable') {
    super('STATE_CONFLICT', `an application cannot ${action} itself`, [
      {
        code: 'INVALID_VALUE',
        ...(action === 'disable' ? { target: 'enabled' } : {}),
        message: `An application cannot ${action} itself: its own token would stop working. Use another application's token.`,
      },
    ]);
  }
}

/** Created before secrets were kept encrypted: only the hash exists, which cannot be read back. */
export class SecretNotReadable extends DomainError {
  constructor() {
    super('STATE_CONFLICT', 'secret not readable', [
      {
        code: 'INVALID_VALUE',
        target: 'secret',
        message:
          'This secret cannot be read back (it was stored before secrets were encrypted, or with a key no longer configured). Rotate it with POST .../secret to get a readable one.',
      },
    ]);
  }
}

export class PreviousExpiryOutOfRange extends ValidationFailed {
  constructor(min: Date, max: Date) {
    super([
      {
        code: 'OUT_OF_RANGE',
        target: 'previous.expiresAt',
        message: 'previous.expiresAt must be between one minute and 30 days from now.',
        innerError: { rangeMinimumValue: min.toISOString(), rangeMaximumValue: max.toISOString() },
      },
    ]);
  }
}
