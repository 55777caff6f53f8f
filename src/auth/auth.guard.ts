import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InsufficientPermissions, InvalidToken } from '../common/errors/domain-error.js';
import type { AuthenticatedRequest } from '../common/context/request-context.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { TokenService } from './token.service.js';

/**
 * Global and deny-by-default: every route needs a valid bearer token unless marked `@Public()`,
 * and a token reaches only its own environment. An environment outside the token's reach, even
 * one that does not exist, is 403 (as PingOne answers), never 404.
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
    const principal = await this.tokens.verify(bearerToken(request.headers.authorization));
    request.principal = principal;
    const { envId } = (request.params ?? {}) as { envId?: string };
    if (envId !== undefined && envId.toLowerCase() !== principal.environmentId) {
      throw new InsufficientPermissions('token of another environment');
    }
    return true;
  }
}

function bearerToken(header: string | undefined): string {
  const match = header?.match(/^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i);
  if (!match?.[1]) throw new InvalidToken('missing bearer token');
  return match[1];
}
