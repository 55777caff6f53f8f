import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Access, Reach } from '../authorization/access.js';
import type { Principal } from '../authorization/principal.js';

/** Who is calling and under which correlation id: what every state change records in its event. */
export interface RequestContext {
  correlationId: string;
  principal: Principal;
  /** The caller's address (`request.ip`, see TRUST_PROXY), for the rate limits; absent outside HTTP. */
  sourceAddress?: string;
}

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal; access?: Access; reach?: Reach };

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) {
    // Only reachable if a @Public() route asks for a context, which is a programming error.
    throw new Error('RequestContext requested on an unauthenticated route');
  }
  return { correlationId: request.id, principal: request.principal, sourceAddress: request.ip };
});
