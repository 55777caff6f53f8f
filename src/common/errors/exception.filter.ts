import { ArgumentsHost, Catch, type ExceptionFilter, HttpException, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MethodNotAllowed, RouteCatalog } from '../http/route-catalog.js';
import { toErrorResponse } from './error-response.js';

/** Every failure of every route leaves through here as PingOne's error body. */
@Catch()
@Injectable()
export class PingOneExceptionFilter implements ExceptionFilter {
  constructor(private readonly routes: RouteCatalog) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    replyWithError(request, reply, this.refineRouteMiss(exception, request));
  }

  /** Nest reports every unmatched request as 404; a path that exists under another method is a 405. */
  private refineRouteMiss(exception: unknown, request: FastifyRequest): unknown {
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      const allowed = this.routes.methodsFor(request.url.split('?')[0] ?? '/');
      if (allowed.length > 0) return new MethodNotAllowed(allowed);
    }
    return exception;
  }
}

/**
 * Answers `error` with PingOne's body. Also Fastify's `frameworkErrors` handler: what the server
 * refuses before any route is chosen (a malformed URL) answers in the same format.
 */
export function replyWithError(request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  const response = toErrorResponse(error);
  const { level, domainCode, cause } = response.log;
  request.log[level]({ errorId: response.body.id, status: response.status, code: domainCode, err: cause }, 'request failed');
  if (response.status === 405 && error instanceof MethodNotAllowed) {
    response.headers.allow = error.allowed.join(', ');
  }
  void reply.status(response.status).headers(response.headers).type('application/json').send(response.body);
}
