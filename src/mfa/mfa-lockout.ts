import type { EventSubject } from '../events/event-catalog.js';

/** The outcome of one counted MFA failure, as the database decided it. */
export interface MfaFailure {
  subject: EventSubject;
  /** The user's failure count after this failure. */
  failures: number;
  /** True when this failure reached the limit and locked the account. */
  locked: boolean;
  unlockAt: Date | null;
}
