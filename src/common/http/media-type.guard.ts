import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { UnsupportedMediaType } from '../errors/domain-error.js';
import { CONSUMES_KEY } from './consumes.decorator.js';
import { mediaTypeEssence, type MediaType } from './media-types.js';

/** Refuses a body of a type the route does not declare with `@Consumes` (after the auth guard). */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const accepted = this.reflector.get<MediaType[] | undefined>(CONSUMES_KEY, context.getHandler());
    if (!accepted) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers['content-type'];
    const essence = mediaTypeEssence(header);
    if (essence && accepted.some((type) => type.toLowerCase() === essence)) return true;
    throw new UnsupportedMediaType(essence, accepted);
  }
}
