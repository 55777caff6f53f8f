import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import type { PingOneError } from '../openapi/pingone-error.js';
import { DatabaseUnavailable, DomainError, MalformedRequest, ValidationFailed } from './domain-error.js';
import { ERROR_MAP } from './error-map.js';

/** PingOne's error body: the type the OpenAPI document describes, so the two cannot part. */
export type PingOneErrorBody = PingOneError;

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: PingOneErrorBody;
  /** What the log line should say; the cause, with its stack, only for unexpected failures. */
  log: { level: 'info' | 'warn' | 'error'; domainCode: string; cause?: unknown };
}

/** Retry hint for 503: long enough for a database failover, short enough for a script to wait. */
const RETRY_AFTER_SECONDS = '5';

/** Builds PingOne's error body for any failure: the one place an error becomes a response. */
export function toErrorResponse(error: unknown): ErrorResponse {
  const domain = asDomainError(error);
  const shape = ERROR_MAP[domain.code];
  const headers: Record<string, string> = {};
  if (domain.retryAfterSeconds !== undefined) headers['retry-after'] = String(domain.retryAfterSeconds);
  else if (shape.status === 503) headers['retry-after'] = RETRY_AFTER_SECONDS;
  if (domain.code === 'INVALID_TOKEN') headers['www-authenticate'] = 'Bearer';
  const body: PingOneErrorBody = { id: randomUUID(), code: shape.code, message: shape.message };
  if (domain.details.length > 0) body.details = domain.details;
  const level = shape.status >= 500 ? 'error' : 'info';
  return {
    status: shape.status,
    headers,
    body,
    log: { level, domainCode: domain.code, cause: shape.status >= 500 ? (domain.cause ?? error) : undefined },
  };
}

function asDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailable(error);
  // Nest hands on Fastify's own errors (body parsing, malformed URLs) as HttpExceptions.
  const fastifyError = fromFastify(error instanceof HttpException ? error.cause : error);
  if (fastifyError) return fastifyError;
  if (error instanceof HttpException) {
    if (error.getStatus() === 404) return new DomainError('ROUTE_NOT_FOUND');
    if (error.getStatus() === 413) return fromFastify({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' }) as DomainError;
    if (error.getStatus() < 500) return new MalformedRequest(error.message);
  }
  const unexpected = new DomainError('UNEXPECTED');
  unexpected.cause = error;
  return unexpected;
}

/** Errors Fastify raises before a handler runs (body parsing, malformed URLs). */
function fromFastify(error: unknown): DomainError | undefined {
  if (!isObject(error) || typeof error.code !== 'string') return undefined;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ValidationFailed([{ code: 'SIZE_LIMIT_EXCEEDED', message: 'The request body is too large.' }]);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new MalformedRequest(String(error.message));
    default:
      return undefined;
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'P1001', // can't reach database server
  'P1002', // database server timed out
  'P1017', // server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2034', // write conflict or deadlock: Postgres rolled one transaction back; the retry succeeds
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '53300', // too_many_connections
  '40P01', // deadlock_detected: as P2034
  '40001', // serialization_failure: likewise
]);

/** Class 08, connection exception: 08000, 08001, 08003, 08004, 08006, 08P01, ... */
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;

/** The driver adapter's names for the same failures (`@prisma/driver-adapter-utils`). */
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'DatabaseDoesNotExist',
  'TooManyConnections',
  'TransactionWriteConflict',
]);

/** What `pg`, its pool and PGlite say when the connection, not the statement, failed; they carry no code. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connect ECONNREFUSED|Can't reach database|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|PGlite is closed|the database system is (starting up|shutting down|in recovery)/i;

/** Where the wrapped errors are: Error.cause, Prisma's `meta.driverAdapterError` and its `cause`, an AggregateError's list. */
const WRAPPED = ['cause', 'originalError', 'meta', 'driverAdapterError', 'errors'] as const;

/**
 * Connection failures, however deeply the driver adapter and Prisma have wrapped them: Prisma 7
 * puts the Postgres code of a query that failed under `meta.driverAdapterError.cause` (as
 * `code`/`originalCode`, with `kind: 'postgres'`), or only a `kind` for a socket failure.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < 32; seen++) {
    const current = pending.shift();
    if (Array.isArray(current)) {
      pending.push(...(current as unknown[]));
      continue;
    }
    if (!isObject(current)) continue;
    for (const code of [current.code, current.originalCode]) {
      if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || CONNECTION_EXCEPTION.test(code))) return true;
    }
    if (typeof current.kind === 'string' && UNAVAILABLE_KINDS.has(current.kind)) return true;
    if (typeof current.message === 'string' && UNAVAILABLE_MESSAGE.test(current.message)) return true;
    for (const key of WRAPPED) if (current[key] !== undefined && current[key] !== current) pending.push(current[key]);
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
