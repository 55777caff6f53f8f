import type { DomainErrorCode } from './domain-error.js';

export interface ErrorShape {
  status: number;
  code: string;
  message: string;
}

/**
 * The single mapping from failures to PingOne's status and error code. Typed as a complete
 * record, so adding a `DomainErrorCode` without a row here does not compile.
 */
export const ERROR_MAP: Record<DomainErrorCode, ErrorShape> = {
  VALIDATION_FAILED: {
    status: 400,
    code: 'INVALID_DATA',
    message: 'The request could not be completed. One or more validation errors were in the request.',
  },
  UNIQUENESS_VIOLATION: {
    status: 400,
    code: 'INVALID_DATA',
    message: 'The request could not be completed. One or more validation errors were in the request.',
  },
  MALFORMED_REQUEST: {
    status: 400,
    code: 'INVALID_REQUEST',
    message: 'The request could not be completed. The request was malformed or invalid.',
  },
  STATE_CONFLICT: {
    status: 400,
    code: 'REQUEST_FAILED',
    message: 'The request could not be completed. The current state of the resource does not allow it.',
  },
  FEATURE_UNAVAILABLE: {
    status: 400,
    code: 'INVALID_REQUEST',
    message: 'The request could not be completed. The requested feature is not available.',
  },
  INVALID_TOKEN: {
    status: 401,
    code: 'ACCESS_FAILED',
    message: 'The request could not be completed. The request was not authenticated.',
  },
  INSUFFICIENT_PERMISSIONS: {
    status: 403,
    code: 'ACCESS_FAILED',
    message: 'The request could not be completed. You do not have access to this resource.',
  },
  QUOTA_EXCEEDED: {
    status: 403,
    code: 'ACCESS_FAILED',
    message: 'The request could not be completed. A limit of the environment has been reached.',
  },
  REQUEST_LIMITED: {
    status: 429,
    code: 'REQUEST_LIMITED',
    message: 'The request could not be completed. Too many requests were made; retry after the time given by Retry-After.',
  },
  NOT_FOUND: {
    status: 404,
    code: 'NOT_FOUND',
    message: 'The request could not be completed. The requested resource was not found.',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    code: 'NOT_FOUND',
    message: 'The request could not be completed. The requested resource was not found.',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    code: 'INVALID_REQUEST',
    message: 'The request could not be completed. The HTTP method is not supported for this resource.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    code: 'INVALID_REQUEST',
    message: 'The request could not be completed. The Content-Type is not supported for this resource.',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    code: 'UNEXPECTED_ERROR',
    message: 'The service is temporarily unavailable. Retry later.',
  },
  ISSUER_KEYS_UNAVAILABLE: {
    status: 503,
    code: 'UNEXPECTED_ERROR',
    message: "The service is temporarily unavailable. The token issuer's signing keys could not be fetched. Retry later.",
  },
  DEPENDENCY_UNAVAILABLE: {
    status: 503,
    code: 'UNEXPECTED_ERROR',
    message: 'The service is not ready: a service it depends on is unavailable (see details). Retry later.',
  },
  UNEXPECTED: {
    status: 500,
    code: 'UNEXPECTED_ERROR',
    message: 'An unexpected error occurred.',
  },
};
