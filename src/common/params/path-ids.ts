import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IS_PUBLIC_KEY } from '../authorization/public.decorator.js';
import { ValidationFailed } from '../errors/domain-error.js';
import { parseId } from './ids.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Path parameters named `...Id` that are not UUIDs, left as sent. */
    invalidPathIds?: string[];
  }
}

/** Every path parameter is an id, and every id parameter's name ends in `Id` (`envId`, `userId`, ...). */
export const isIdParameter = (name: string): boolean => name.endsWith('Id');

/**
 * Parses the path's ids once, before any guard or handler runs: a UUID is replaced by its
 * lower-case form in `request.params`, so guards, services and repositories compare ids as stored;
 * anything else is left as sent and named in `request.invalidPathIds`, for `PathIdsGuard` to
 * refuse once the caller is authenticated.
 */
export function registerPathIdParsing(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request: FastifyRequest, _reply, done) => {
    const params = (request.params ?? {}) as Record<string, string>;
    for (const [name, value] of Object.entries(params)) {
      if (!isIdParameter(name)) continue;
      const id = parseId(value);
      if (id === undefined) (request.invalidPathIds ??= []).push(name);
      else params[name] = id;
    }
    done();
  });
}

export class InvalidPathId extends ValidationFailed {
  constructor(names: string[]) {
    super(names.map((name) => ({ code: 'INVALID_VALUE', target: name, message: `${name} must be a UUID` })));
  }
}

/**
 * Refuses a path id that is not a UUID with `400 INVALID_DATA`, after authentication, authorization
 * and the media type (docs/api.md, "Order of checks"). A wrong environment id has already been
 * refused with 403 by then. Public routes answer in their own protocol (the token endpoint says
 * `invalid_client`), so they check `invalidPathIds` themselves.
 */
@Injectable()
export class PathIdsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    const invalid = context.switchToHttp().getRequest<FastifyRequest>().invalidPathIds;
    if (invalid?.length) throw new InvalidPathId(invalid);
    return true;
  }
}
