/**
 * What each kind of ciphertext is bound to (the JWE's authenticated data): a ciphertext copied to
 * another row or column of another kind does not decrypt. Kept here, beside the re-encryption
 * that must name every kind, rather than in the features that encrypt them.
 */

/** An application's client secret. The current and the previous column share it, so a rotation can move a ciphertext without re-encrypting. */
export const applicationSecretPurpose = (applicationId: string): string => `application-secret:${applicationId}`;

/** A TOTP device's base32 secret. */
export const mfaDeviceSecretPurpose = (deviceId: string): string => `mfa-device-secret:${deviceId}`;

/** A signing key's private JWK. */
export const signingKeyPurpose = (kid: string): string => `signing-key:${kid}`;

/** A subscription's endpoint headers (JSON), which often carry the receiver's credentials. */
export const subscriptionHeadersPurpose = (subscriptionId: string): string => `subscription-headers:${subscriptionId}`;

/** A subscription's Standard Webhooks signing secret; the current and the previous column share it. */
export const subscriptionSigningSecretPurpose = (subscriptionId: string): string => `subscription-signing-secret:${subscriptionId}`;
