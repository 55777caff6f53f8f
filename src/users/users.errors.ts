import { reaches, type Reach } from '../common/authorization/access.js';
import { ResourceNotFound, UniquenessViolation, ValidationFailed } from '../common/errors/domain-error.js';

export class UserNotFound extends ResourceNotFound {
  constructor() {
    super('user');
  }
}

export class PopulationNotFound extends ValidationFailed {
  /** `target`: where the body names the population (`id` in `PUT /users/{id}/population`). */
  constructor(target = 'population.id') {
    super([{ code: 'INVALID_VALUE', target, message: 'No population with this id exists in the environment.' }]);
  }
}

export class UnlockAtNotInFuture extends ValidationFailed {
  constructor() {
    super([{ code: 'INVALID_VALUE', target: 'unlockAt', message: 'unlockAt must be in the future.' }]);
  }
}

/**
 * A username taken in the environment (usernames are unique environment-wide, whatever the
 * population). The answer names the existing user's id only to a caller who reaches that user.
 */
export class UsernameTaken extends UniquenessViolation {
  constructor(readonly existing?: { id: string; populationId: string }) {
    super('username', existing?.id);
  }

  /** This refusal as `reach` may see it: without a foreign id. */
  seenFrom(reach: Reach): UniquenessViolation {
    return this.existing && reaches(reach, this.existing.populationId) ? this : new UniquenessViolation('username');
  }
}

/** Runs `write`; a username taken by a user out of `reach` is reported without that user's id. */
export async function hidingForeignUsers<T>(reach: Reach, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw error instanceof UsernameTaken ? error.seenFrom(reach) : error;
  }
}
