import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-ping-external-transaction-id';
const MAX_LENGTH = 100;

/**
 * The caller's `X-Ping-External-Transaction-ID`, reduced to characters that are safe in logs and
 * JSON, or a fresh UUID when it is absent or nothing is left of it. It becomes Fastify's request
 * id, so every log line, error body and event of the request carries the same value.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const header = request.headers[CORRELATION_HEADER];
  const raw = Array.isArray(header) ? header[0] : header;
  const cleaned = raw?.replace(/[^A-Za-z0-9._:@-]/g, '').slice(0, MAX_LENGTH);
  return cleaned ? cleaned : randomUUID();
}
