import { DomainError, ResourceNotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { MAX_SUBSCRIPTIONS } from './subscription.js';

export class SubscriptionNotFound extends ResourceNotFound {
  constructor() {
    super('subscription');
  }
}

/** PingOne answers 403 to the 51st subscription of an environment. */
export class SubscriptionLimitReached extends DomainError {
  constructor() {
    super('QUOTA_EXCEEDED', 'subscription limit', [
      {
        code: 'LICENSE_EXCEEDED',
        target: 'subscriptions',
        message: `An environment can have at most ${MAX_SUBSCRIPTIONS} subscriptions.`,
        innerError: { quotaLimit: MAX_SUBSCRIPTIONS },
      },
    ]);
  }
}

export class InvalidWebhookTarget extends ValidationFailed {
  constructor(reason: string) {
    super([{ code: 'INVALID_VALUE', target: 'httpEndpoint.url', message: `httpEndpoint.url ${reason}.` }]);
  }
}

export class UnknownReference extends ValidationFailed {
  constructor(target: string, id: string) {
    super([{ code: 'INVALID_VALUE', target, message: `No resource with id ${id} exists in the environment.` }]);
  }
}

export class PreviousExpiryOutOfRange extends ValidationFailed {
  constructor(maxDays: number) {
    super([
      {
        code: 'INVALID_VALUE',
        target: 'previousExpiresAt',
        message: `previousExpiresAt must be in the future and at most ${maxDays} days ahead.`,
      },
    ]);
  }
}
