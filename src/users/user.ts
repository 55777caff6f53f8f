/** A user as the service reasons about it. The password hash is not part of it. */
export interface User {
  id: string;
  environmentId: string;
  populationId: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  enabled: boolean;
  mfaEnabled: boolean;
  lock: LockState;
  password: PasswordState;
  passwordFailureCount: number;
  mfaFailureCount: number;
  lifecycleStatus: 'ACCOUNT_OK' | 'VERIFICATION_REQUIRED';
  identityProviderType: string;
  /** The external identity provider that authenticates the user; null for PingOne's own users. */
  identityProviderId: string | null;
  verifyStatus: 'NOT_INITIATED' | 'ENABLED' | 'DISABLED';
  profile: UserProfile;
  createdAt: Date;
  updatedAt: Date;
}

export interface LockState {
  status: 'OK' | 'LOCKED';
  reason: LockReason | null;
  lockedAt: Date | null;
  unlockAt: Date | null;
}

export type LockReason = 'ADMIN' | 'PASSWORD' | 'MFA';

/** The stored password state (never the hash). Lockout and expiry are derived when read. */
export interface PasswordState {
  status: 'NO_PASSWORD' | 'OK' | 'MUST_CHANGE_PASSWORD';
  changedAt: Date | null;
  lockedAt: Date | null;
  unlockAt: Date | null;
}

export interface PersonName {
  given?: string | null;
  family?: string | null;
  middle?: string | null;
  formatted?: string | null;
  honorificPrefix?: string | null;
  honorificSuffix?: string | null;
}

export interface Address {
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  countryCode?: string;
}

/** The attributes a caller may write. */
export interface UserProfile {
  username: string;
  email: string | null;
  mfaEnabled: boolean;
  name: PersonName;
  nickname: string | null;
  title: string | null;
  type: string | null;
  locale: string | null;
  preferredLanguage: string | null;
  timezone: string | null;
  mobilePhone: string | null;
  primaryPhone: string | null;
  externalId: string | null;
  photoHref: string | null;
  address: Address | null;
}

/**
 * What an import may set that no other write does (PingOne: "only allowed to be set when
 * importing a user"). Left out: the column's default.
 */
export interface ImportedState {
  emailVerified?: boolean;
  enabled?: boolean;
  lifecycleStatus?: User['lifecycleStatus'];
  verifyStatus?: User['verifyStatus'];
  identityProviderType?: string;
  identityProviderId?: string;
}

export type ProfileChanges = Partial<Omit<UserProfile, 'name'>> & { name?: PersonName };
