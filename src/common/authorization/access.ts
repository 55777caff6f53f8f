import type { Permission } from './permissions.js';
import { type Role, roleById, ROLES, type ScopeType } from './roles.js';

export interface Scope {
  type: ScopeType;
  id: string;
}

/** One role over one scope: what a role assignment (or a mapped claim) gives its holder. */
export interface Grant {
  roleId: string;
  scope: Scope;
}

/** Where a permission reaches: the whole environment, some of its populations, or nowhere. */
export type Reach = { kind: 'environment' } | { kind: 'populations'; populationIds: ReadonlySet<string> } | { kind: 'none' };

/**
 * What one caller may do in its environment, computed from its grants and the built-in roles.
 * A grant over another environment never counts, whatever its origin.
 */
export class Access {
  private readonly grants: readonly Grant[];

  constructor(
    readonly environmentId: string,
    grants: readonly Grant[],
  ) {
    this.grants = grants.filter((g) => g.scope.type === 'POPULATION' || g.scope.id === environmentId);
  }

  reach(permission: Permission): Reach {
    const populationIds = new Set<string>();
    for (const grant of this.grants) {
      if (!roleById(grant.roleId)?.permissions.has(permission)) continue;
      if (grant.scope.type === 'ENVIRONMENT') return { kind: 'environment' };
      populationIds.add(grant.scope.id);
    }
    return populationIds.size > 0 ? { kind: 'populations', populationIds } : { kind: 'none' };
  }

  /** Whether the permission covers a user (or anything else) in `populationId`. */
  allows(permission: Permission, populationId: string): boolean {
    return reaches(this.reach(permission), populationId);
  }

  /**
   * Whether the caller covers every built-in role over the whole environment (an Environment
   * Admin does): then no subject can hold more than the caller, and nothing needs to be read to know it.
   */
  coversEveryRole(): boolean {
    this.coversAll ??= ROLES.every((role) => this.covers(role, { type: 'ENVIRONMENT', id: this.environmentId }));
    return this.coversAll;
  }

  private coversAll?: boolean;

  /**
   * Whether the caller holds every permission of `role` over all of `scope`: the rule that stops
   * anyone from granting (or reading the credentials of) more than they hold themselves.
   */
  covers(role: Role, scope: Scope): boolean {
    return [...role.permissions].every((permission) => {
      const reach = this.reach(permission);
      if (reach.kind === 'environment') return true;
      return scope.type === 'POPULATION' && reaches(reach, scope.id);
    });
  }
}

export function reaches(reach: Reach, populationId: string): boolean {
  return reach.kind === 'environment' || (reach.kind === 'populations' && reach.populationIds.has(populationId));
}
