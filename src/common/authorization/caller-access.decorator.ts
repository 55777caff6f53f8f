import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../context/request-context.js';
import type { Access, Reach } from './access.js';

/** The caller's resolved access, set by the AccessGuard: for checks beyond the route's own rule. */
export const CallerAccess = createParamDecorator((_: unknown, context: ExecutionContext): Access => {
  const access = context.switchToHttp().getRequest<AuthenticatedRequest>().access;
  if (!access) throw new Error('CallerAccess requested on a route without an access rule');
  return access;
});

/** Where the route's permission reaches: lists use it to return only the reachable populations. */
export const PermissionReach = createParamDecorator((_: unknown, context: ExecutionContext): Reach => {
  const reach = context.switchToHttp().getRequest<AuthenticatedRequest>().reach;
  if (!reach) throw new Error('PermissionReach requested on a route without an access rule');
  return reach;
});
