import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { MalformedRequest } from '../errors/domain-error.js';
import { toErrorResponse } from '../errors/error-response.js';

/** The status Node's HTTP parser errors get (as Fastify's own handler gives them); every other one is a 400. */
const STATUS_BY_CODE: Record<string, { status: number; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time.' },
  HPE_HEADER_OVERFLOW: { status: 431, message: 'The request headers are too large.' },
};

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser cannot read (a malformed header, a
 * bad chunk, a timeout) never reaches a route. It is answered in PingOne's error shape, like
 * everything else, instead of Fastify's `{"error":"Bad Request","message":"Client Error"}`.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection, or a socket already gone: nobody is left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = STATUS_BY_CODE[error.code ?? ''];
  const { body } = toErrorResponse(new MalformedRequest(known?.message ?? 'The HTTP request is malformed.'));
  const status = known?.status ?? 400;
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
