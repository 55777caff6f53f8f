import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permissions.js';

/**
 * What the route touches, which decides where the permission must reach:
 * - `environment`: the environment as a whole (policies, settings, applications);
 * - `user`: the user in `:userId`, so a population-scoped grant over its population is enough;
 * - `userMove`: the user in `:userId`, moved to the population whose id is the body's `id`
 *   (`PUT /users/{id}/population`): both must be reachable, as for a `population.id` in a PATCH;
 * - `users`: a list of users, narrowed to the populations the permission reaches;
 * - `newUser`: a user about to be created, in the body's `population.id` or the default population;
 * - `population`: the population in `:populationId`;
 * - `group`: the group in `:groupId`: one bound to a population needs the permission there; an
 *   environment-wide group is read with any grant of a read permission, written only with an
 *   environment-wide grant;
 * - `groups`: a list of groups, narrowed to the reachable populations' and the environment's groups;
 * - `newGroup`: a group about to be created, in the body's `population.id` (none: environment-wide);
 * - `anywhere`: nothing of the environment (the role catalogue): any grant of the permission.
 * For `user` and `newUser`, a `population.id` in the body must be reachable too.
 */
export type AccessTarget =
  'environment' | 'user' | 'userMove' | 'users' | 'newUser' | 'population' | 'group' | 'groups' | 'newGroup' | 'anywhere';

export interface AccessRule {
  permission: Permission;
  target: AccessTarget;
}

export const ACCESS_RULE_KEY = 'accessRule';

/** Every route but the public ones declares one; a route without it is refused (deny by default). */
export const RequirePermission = (permission: Permission, target: AccessTarget = 'environment') =>
  SetMetadata(ACCESS_RULE_KEY, { permission, target } satisfies AccessRule);
