/**
 * The failures the service can report. Services throw these (never HTTP exceptions); the one
 * exception filter turns each into PingOne's error body through `ERROR_MAP`.
 */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_REQUEST'
  | 'UNIQUENESS_VIOLATION'
  | 'STATE_CONFLICT'
  | 'NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'FEATURE_UNAVAILABLE'
  | 'INVALID_TOKEN'
  | 'INSUFFICIENT_PERMISSIONS'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_LIMITED'
  | 'DATABASE_UNAVAILABLE'
  | 'ISSUER_KEYS_UNAVAILABLE'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'UNEXPECTED';

/** One entry of PingOne's `details` array. */
export interface ErrorDetail {
  code: string;
  target?: string;
  message: string;
  innerError?: Record<string, unknown>;
}

export class DomainError extends Error {
  /** Sent as the `Retry-After` header (whole seconds) when set; a 503 without one says 5. */
  retryAfterSeconds?: number;

  constructor(
    readonly code: DomainErrorCode,
    message?: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message ?? code);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends DomainError {
  constructor(details: ErrorDetail[]) {
    super('VALIDATION_FAILED', undefined, details);
  }
}

export class MalformedRequest extends DomainError {
  constructor(message: string, target?: string) {
    super('MALFORMED_REQUEST', undefined, [{ code: 'INVALID_VALUE', target, message }]);
  }
}

export class ResourceNotFound extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class UniquenessViolation extends DomainError {
  constructor(target: string, existingId?: string) {
    super('UNIQUENESS_VIOLATION', undefined, [
      {
        code: 'UNIQUENESS_VIOLATION',
        target,
        message: `${target} must be unique`,
        ...(existingId ? { innerError: { existingId } } : {}),
      },
    ]);
  }
}

export class UnsupportedMediaType extends DomainError {
  constructor(received: string | undefined, allowedValues: readonly string[]) {
    super('UNSUPPORTED_MEDIA_TYPE', undefined, [
      {
        code: 'INVALID_VALUE',
        target: 'Content-Type',
        message: received ? `Content-Type ${received} is not supported here.` : 'A Content-Type header is required.',
        innerError: { allowedValues: [...allowedValues] },
      },
    ]);
  }
}

/**
 * An action PingOne offers (and links from its resources) that this service does not perform,
 * such as sending a verification or recovery code: refused as unavailable rather than as an
 * unknown route or media type, so a client can tell "not here" from "wrong request".
 */
export class FeatureUnavailable extends DomainError {
  constructor(mediaType: string, what: string) {
    super('FEATURE_UNAVAILABLE', `${mediaType} is not available`, [
      {
        code: 'FEATURE_NOT_ENABLED',
        target: 'Content-Type',
        message: `${what} (${mediaType}) is not available in this service.`,
      },
    ]);
  }
}

export class InvalidToken extends DomainError {
  constructor(reason: string) {
    super('INVALID_TOKEN', reason, [{ code: 'INVALID_TOKEN', message: 'The access token is missing, invalid or expired.' }]);
  }
}

export class InsufficientPermissions extends DomainError {
  constructor(reason: string) {
    super('INSUFFICIENT_PERMISSIONS', reason, [
      { code: 'INSUFFICIENT_PERMISSIONS', message: 'The access token does not grant access to this resource.' },
    ]);
  }
}

export class DatabaseUnavailable extends DomainError {
  constructor(cause: unknown) {
    super('DATABASE_UNAVAILABLE', 'database unavailable');
    this.cause = cause;
  }
}

/**
 * The key set of a trusted issuer could not be fetched or read. The token may well be valid, so
 * this is neither the caller's fault (401) nor a defect of the service (500).
 */
export class IssuerKeysUnavailable extends DomainError {
  constructor(issuer: string, jwksUri: string, cause: unknown) {
    super('ISSUER_KEYS_UNAVAILABLE', `keys of ${issuer} unavailable`);
    this.cause = new Error(`JWKS of trusted issuer ${issuer} at ${jwksUri} unavailable`, { cause });
  }
}

/**
 * A rate limit's budget is spent (docs/rate-limits.md): PingOne's 429 `REQUEST_LIMITED` with detail
 * `LIMIT_EXCEEDED`, `innerError.quotaLimit`, `quotaResetTime` and `retryAfter` (date-times, as in
 * PingOne's schema) and the `Retry-After` header in seconds.
 */
export class RequestLimited extends DomainError {
  constructor(
    readonly limit: string,
    readonly quotaLimit: number,
    msBeforeNext: number,
    now = Date.now(),
  ) {
    const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    const resetTime = new Date(now + seconds * 1000).toISOString();
    super('REQUEST_LIMITED', `rate limit ${limit} reached`, [
      {
        code: 'LIMIT_EXCEEDED',
        message: `Too many failed attempts (${limit}): retry after ${seconds} seconds.`,
        innerError: { quotaLimit, quotaResetTime: resetTime, retryAfter: resetTime },
      },
    ]);
    this.retryAfterSeconds = seconds;
  }
}
