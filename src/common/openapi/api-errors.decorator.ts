import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PingOneError } from './pingone-error.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 415 | 429 | 503;

/** What each status means here; a route may say more precisely what it answers it for. */
export const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'The request is invalid: a path id that is not a UUID, a body that is not a JSON object, or invalid attributes (each problem is one entry of `details`).',
  401: 'The bearer token is missing, malformed, expired, or not one this service accepts.',
  403: "The token's environment is not the path's, or its roles do not grant the permission.",
  404: 'The resource does not exist in the environment.',
  405: 'The path exists, but not with this method (the `Allow` header lists the methods).',
  415: 'The Content-Type is missing or not one this operation accepts (`details[0].innerError.allowedValues` lists them).',
  429: 'A rate limit is reached (`REQUEST_LIMITED`, detail `LIMIT_EXCEEDED`): retry after `Retry-After` seconds.',
  503: "The database, or a trusted issuer's key set, cannot be reached. Retry after `Retry-After` seconds.",
};

/** A failure the route answers with PingOne's error body. */
export const ApiPingOneError = (status: ErrorStatus, description: string = ERROR_DESCRIPTIONS[status]) =>
  ApiResponse({ status, type: PingOneError, description });

/** Failures the route answers with PingOne's error body, each with its usual meaning. */
export const ApiPingOneErrors = (...statuses: ErrorStatus[]) => applyDecorators(...statuses.map((status) => ApiPingOneError(status)));
