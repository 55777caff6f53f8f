import { ResourceNotFound, UniquenessViolation, ValidationFailed } from '../common/errors/domain-error.js';

export class GroupNotFound extends ResourceNotFound {
  constructor(what = 'group') {
    super(what);
  }
}

/** A group name taken in the scope it must be unique in (docs/groups.md, "Names"). */
export class GroupNameTaken extends UniquenessViolation {
  constructor(existingId: string | undefined) {
    super('name', existingId);
  }
}

export function invalid(target: string, message: string): ValidationFailed {
  return new ValidationFailed([{ code: 'INVALID_VALUE', target, message }]);
}
