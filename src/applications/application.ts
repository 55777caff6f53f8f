/** A worker application as the service reasons about it. Its secrets are not part of it. */
export interface Application {
  id: string;
  environmentId: string;
  name: string;
  description: string | null;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What a create or a full update writes. */
export interface ApplicationFields {
  name: string;
  description: string | null;
  enabled: boolean;
}

/** The secrets an administrator may read back, in clear. */
export interface ApplicationSecrets {
  environmentId: string;
  applicationId: string;
  secret: string;
  /** The secret before the last rotation, while it still authenticates. */
  previous?: { secret: string; expiresAt: Date; lastUsedAt: Date | null };
}

/** The stored, encrypted form of `ApplicationSecrets`. */
export interface EncryptedSecrets {
  /** Null for applications created before secrets were kept encrypted. */
  current: string | null;
  previous: { ciphertext: string | null; expiresAt: Date; lastUsedAt: Date | null } | null;
}
