import { ResourceNotFound, ValidationFailed } from '../common/errors/domain-error.js';

export class UserNotFound extends ResourceNotFound {
  constructor() {
    super('user');
  }
}

export class PopulationNotFound extends ValidationFailed {
  constructor() {
    super([{ code: 'INVALID_VALUE', target: 'population.id', message: 'No population with this id exists in the environment.' }]);
  }
}

export class UnlockAtNotInFuture extends ValidationFailed {
  constructor() {
    super([{ code: 'INVALID_VALUE', target: 'unlockAt', message: 'unlockAt must be in the future.' }]);
  }
}
