import type { Grant } from './access.js';

/**
 * The authenticated caller of a management request, in one environment: a worker application
 * with a token of this service, or the subject of a token from a trusted external issuer.
 */
export interface Principal {
  /** The application's id, or the external token's subject. */
  clientId: string;
  clientName: string;
  environmentId: string;
  /** Where the caller's grants come from. */
  grants: GrantSource;
}

export type GrantSource =
  /** The role assignments of this application, read (and cached) on each request. */
  | { from: 'application'; applicationId: string }
  /** The role assignments of the user an external issuer's token names, read on each request. */
  | { from: 'user'; attribute: UserAttribute; value: string }
  /** Grants mapped from the claims of an external issuer's token. */
  | { from: 'token'; grants: readonly Grant[] };

/** How a token names a user: by id, by username (case-insensitive) or by externalId. */
export type UserAttribute = 'id' | 'username' | 'externalId';
