import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope' | 'temporarily_unavailable';

/** The token endpoint speaks OAuth 2.0 (RFC 6749 §5.2), so OAuth clients understand its errors. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: 400 | 401 | 429 = 400,
    /** Sent as `Retry-After` (seconds). */
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
  }
}

@Catch(OAuthError)
export class OAuthErrorFilter implements ExceptionFilter {
  catch(exception: OAuthError, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    request.log.info({ oauthError: exception.error }, 'token request refused');
    if (exception.status === 401) void reply.header('www-authenticate', 'Basic realm="token"');
    if (exception.retryAfterSeconds !== undefined) void reply.header('retry-after', String(exception.retryAfterSeconds));
    void reply
      .status(exception.status)
      .headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
      .send({ error: exception.error, error_description: `${exception.description} (Correlation ID: ${request.id})` });
  }
}
