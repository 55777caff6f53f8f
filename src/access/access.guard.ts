import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '../common/authorization/public.decorator.js';
import type { AuthenticatedRequest } from '../common/context/request-context.js';
import { InsufficientPermissions, ResourceNotFound } from '../common/errors/domain-error.js';
import { type Access, reaches, type Reach } from '../common/authorization/access.js';
import { isRead } from '../common/authorization/permissions.js';
import { AccessResolver } from './access.resolver.js';
import { AccessTargetsRepository } from './access-targets.repository.js';
import { RoleAssignmentsService } from './role-assignments.service.js';
import { ACCESS_RULE_KEY, type AccessRule } from '../common/authorization/require-permission.decorator.js';
import { parseId } from '../common/params/ids.js';

/**
 * Authorization, after the AuthGuard has authenticated the caller: the route's permission must
 * reach what the request touches. Deny by default: a route without an access rule is refused.
 * Refusals are 403, including an environment that does not exist, as PingOne answers, with one
 * exception: a user outside the caller's populations is 404, as a user that does not exist, so a
 * scoped caller learns nothing about other populations. Every write to a user (any permission
 * but a read) also needs the caller to cover every role that user holds: nobody acts on someone
 * more privileged than themselves.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly resolver: AccessResolver,
    private readonly targets: AccessTargetsRepository,
    private readonly roleAssignments: RoleAssignmentsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handlers = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, handlers)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE_KEY, handlers);
    if (!rule) {
      this.logger.error(`${request.method} ${request.routeOptions.url ?? request.url} has no access rule: refused`);
      throw new InsufficientPermissions('route without an access rule');
    }
    const principal = request.principal;
    if (!principal) throw new InsufficientPermissions('not authenticated');
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    // Path ids arrive parsed (lower-case); an envId that is not a UUID is never the token's.
    if (params.envId !== undefined && params.envId !== principal.environmentId) {
      throw new InsufficientPermissions('token of another environment');
    }
    const access = await this.resolver.resolve(principal);
    const reach = access.reach(rule.permission);
    if (!(await this.reachesTarget(rule, reach, principal.environmentId, params, request))) {
      throw new InsufficientPermissions(`${rule.permission} does not reach the ${rule.target}`);
    }
    if ((rule.target === 'user' || rule.target === 'userMove') && !isRead(rule.permission))
      await this.requireCoversUser(access, principal.environmentId, params, request);
    request.access = access;
    request.reach = reach;
    return true;
  }

  private async reachesTarget(
    rule: AccessRule,
    reach: Reach,
    environmentId: string,
    params: Record<string, string | undefined>,
    { body, invalidPathIds }: AuthenticatedRequest,
  ): Promise<boolean> {
    if (reach.kind === 'none') return false;
    if (reach.kind === 'environment') return true;
    switch (rule.target) {
      case 'anywhere':
      case 'users':
      case 'groups':
        return true;
      case 'environment':
        return false;
      case 'population':
        return reaches(reach, params.populationId ?? '');
      case 'newGroup': {
        // No population: an environment-wide group, which a population scope does not reach.
        const populationId = bodyPopulation(body);
        return populationId !== undefined && reaches(reach, populationId);
      }
      case 'group': {
        if (params.groupId === undefined || invalidPathIds?.includes('groupId')) return true;
        const group = await this.targets.groupScope(environmentId, params.groupId);
        // No such group: the handler answers 404.
        if (group === undefined) return true;
        return group.populationId === null ? isRead(rule.permission) : reaches(reach, group.populationId);
      }
      case 'newUser': {
        const populationId = bodyPopulation(body) ?? (await this.targets.defaultPopulation(environmentId));
        return populationId !== null && reaches(reach, populationId);
      }
      case 'user':
      case 'userMove': {
        const moveTo = rule.target === 'userMove' ? bodyId(body) : bodyPopulation(body);
        if (moveTo !== undefined && !reaches(reach, moveTo)) return false;
        // A malformed id touches nothing: the PathIdsGuard answers 400 for it.
        if (params.userId === undefined || invalidPathIds?.includes('userId')) return true;
        const populationId = await this.targets.populationOfUser(environmentId, params.userId);
        // A user of another population is 404, as a user that does not exist; both are answered
        // here, before the media type and the body are looked at, so a scoped caller cannot tell
        // them apart by a 415 or 400 that only one of them would get.
        if (populationId === null) throw new ResourceNotFound('user');
        if (!reaches(reach, populationId)) throw new ResourceNotFound("user (outside the caller's populations)");
        return true;
      }
    }
  }

  /**
   * The user of the path must hold no role the caller does not hold over its whole scope. An
   * Environment Admin covers every role, so its requests (the unlock among them) read nothing more.
   * A user that does not exist holds nothing: the handler answers 404.
   */
  private async requireCoversUser(
    access: Access,
    environmentId: string,
    params: Record<string, string | undefined>,
    { invalidPathIds }: AuthenticatedRequest,
  ): Promise<void> {
    if (access.coversEveryRole() || params.userId === undefined || invalidPathIds?.includes('userId')) return;
    await this.roleAssignments.requireCovered(environmentId, { type: 'USER', id: params.userId }, access);
  }
}

/** `population.id` of a JSON body, lower-cased; undefined when the body names none. */
function bodyPopulation(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  return bodyId((body as { population?: unknown }).population);
}

/** `id` of a JSON object, lower-cased; undefined when there is none. */
function bodyId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const id = (body as { id?: unknown }).id;
  // Not an id: nothing is reached, and the body's validation answers 400.
  return typeof id === 'string' ? (parseId(id) ?? id) : undefined;
}
