import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidToken } from '../common/errors/domain-error.js';
import type { AuthenticatedRequest } from '../common/context/request-context.js';
import { IS_PUBLIC_KEY } from '../common/authorization/public.decorator.js';
import { TokenService } from './token.service.js';

/**
 * Authentication, global and deny-by-default: every route needs a valid bearer token unless marked
 * `@Public()`. What the caller may do is the AccessGuard's decision, which runs next.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await this.tokens.verify(bearerToken(request.headers.authorization));
    return true;
  }
}

function bearerToken(header: string | undefined): string {
  const match = header?.match(/^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i);
  if (!match?.[1]) throw new InvalidToken('missing bearer token');
  return match[1];
}
