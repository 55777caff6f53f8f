import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  DomainError,
  InsufficientPermissions,
  ResourceNotFound,
  UniquenessViolation,
  ValidationFailed,
} from '../common/errors/domain-error.js';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { type EventContext, OutboxWriter } from '../events/outbox.writer.js';
import type { Access, Scope } from '../common/authorization/access.js';
import { AccessResolver } from './access.resolver.js';
import { AccessTargetsRepository } from './access-targets.repository.js';
import { type AssignmentSubject, type RoleAssignment, RoleAssignmentsRepository } from './role-assignments.repository.js';
import { ENVIRONMENT_ADMIN, type Role, roleById } from '../common/authorization/roles.js';

export interface AssignmentRequest {
  role: { id: string };
  scope: Scope;
}

/**
 * Grants and removes roles. Nobody grants, or removes, a role they do not hold over the whole
 * scope: `Access.covers` compares the role's permissions with the caller's own.
 */
@Injectable()
export class RoleAssignmentsService {
  constructor(
    private readonly assignments: RoleAssignmentsRepository,
    private readonly targets: AccessTargetsRepository,
    private readonly resolver: AccessResolver,
    private readonly transactions: TransactionHost,
    private readonly events: OutboxWriter,
  ) {}

  async list(environmentId: string, subject: AssignmentSubject): Promise<RoleAssignment[]> {
    await this.requireSubject(environmentId, subject);
    return this.assignments.listFor(environmentId, subject);
  }

  /**
   * Refuses unless the caller holds every role the subject holds, over each of its scopes: nobody
   * acts on the credentials of someone more privileged than themselves.
   */
  async requireCovered(environmentId: string, subject: AssignmentSubject, caller: Access): Promise<void> {
    for (const grant of await this.assignments.listFor(environmentId, subject)) {
      // A role id outside the catalogue grants nothing, so holding it takes nothing either.
      const role = roleById(grant.roleId);
      if (role && !caller.covers(role, grant.scope)) {
        throw new InsufficientPermissions(`the ${subject.type.toLowerCase()} holds ${role.name}, which the caller does not`);
      }
    }
  }

  async get(environmentId: string, subject: AssignmentSubject, id: string): Promise<RoleAssignment> {
    const assignment = await this.assignments.find(environmentId, subject, id);
    if (!assignment) throw new ResourceNotFound('role assignment');
    return assignment;
  }

  async create(
    environmentId: string,
    given: AssignmentSubject,
    request: AssignmentRequest,
    caller: Access,
    context: RequestContext,
  ): Promise<RoleAssignment> {
    const subject = given;
    const role = roleById(request.role.id);
    if (!role) throw invalid('role.id', 'No role has this id.');
    const scope = { type: request.scope.type, id: request.scope.id };
    const assignment = await this.transactions.run(async () => {
      await this.requireSubject(environmentId, subject);
      await this.requireScope(environmentId, role, scope);
      if (!caller.covers(role, scope)) throw new InsufficientPermissions(`cannot grant ${role.name} over this scope`);
      const grant = { roleId: role.id, scope };
      const created = await this.transactions.withUniqueConstraint(
        () => this.assignments.create({ id: randomUUID(), environmentId, subject, ...grant }),
        async () => new UniquenessViolation('role', await this.assignments.findExisting(subject, grant)),
      );
      await this.record('ROLE_ASSIGNMENT.CREATED', created, role, context, 'assigned to');
      return created;
    });
    this.invalidate(subject);
    return assignment;
  }

  /**
   * The first Environment Admin of a new environment, granted by the bootstrap: there is no caller
   * whose access could cover it yet. Joins the bootstrap's transaction.
   */
  async grantFirstAdmin(environmentId: string, applicationId: string, context: EventContext): Promise<void> {
    const scope = { type: 'ENVIRONMENT' as const, id: environmentId };
    const subject = { type: 'APPLICATION' as const, id: applicationId };
    await this.transactions.run(async () => {
      const created = await this.assignments.create({ id: randomUUID(), environmentId, subject, roleId: ENVIRONMENT_ADMIN.id, scope });
      await this.record('ROLE_ASSIGNMENT.CREATED', created, ENVIRONMENT_ADMIN, context, 'assigned to');
    });
  }

  async delete(environmentId: string, given: AssignmentSubject, id: string, caller: Access, context: RequestContext): Promise<void> {
    // Ids arrive lower-cased from the path (common/params/path-ids.ts): the self-removal check compares them as stored.
    const subject = given;
    await this.transactions.run(async () => {
      const assignment = await this.get(environmentId, subject, id);
      const role = roleById(assignment.roleId);
      if (role && !caller.covers(role, assignment.scope)) throw new InsufficientPermissions(`cannot remove ${role.name} over this scope`);
      if (subject.type === 'APPLICATION' && subject.id === context.principal.clientId) {
        throw new DomainError(
          'STATE_CONFLICT',
          'An application cannot remove its own role assignments: it would lose the access it is using.',
        );
      }
      // Only the request that actually deleted the row records it: a racing delete finds nothing.
      if (await this.assignments.delete(id)) await this.record('ROLE_ASSIGNMENT.DELETED', assignment, role, context, 'removed from');
    });
    this.invalidate(subject);
  }

  private async requireSubject(environmentId: string, subject: AssignmentSubject): Promise<void> {
    const exists =
      subject.type === 'APPLICATION'
        ? await this.targets.applicationExists(environmentId, subject.id)
        : await this.targets.userExists(environmentId, subject.id);
    if (!exists) throw new ResourceNotFound(subject.type === 'APPLICATION' ? 'application' : 'user');
  }

  /** A scope of this environment only: an assignment never reaches into another environment. */
  private async requireScope(environmentId: string, role: Role, scope: Scope): Promise<void> {
    if (!role.applicableTo.includes(scope.type)) {
      throw invalid('scope.type', `${role.name} can be assigned over ${role.applicableTo.join(' or ')} only.`, [...role.applicableTo]);
    }
    const inEnvironment =
      scope.type === 'ENVIRONMENT' ? scope.id === environmentId : await this.targets.populationExists(environmentId, scope.id);
    if (!inEnvironment) {
      throw invalid(
        'scope.id',
        scope.type === 'ENVIRONMENT' ? 'The scope must be this environment.' : 'No population of this environment has this id.',
      );
    }
  }

  private async record(
    type: 'ROLE_ASSIGNMENT.CREATED' | 'ROLE_ASSIGNMENT.DELETED',
    assignment: RoleAssignment,
    role: Role | undefined,
    context: EventContext,
    verb: string,
  ): Promise<void> {
    const roleName = role?.name ?? assignment.roleId;
    const collection = assignment.subject.type === 'APPLICATION' ? 'applications' : 'users';
    await this.events.record({
      type,
      context,
      resource: {
        type: 'ROLE_ASSIGNMENT',
        id: assignment.id,
        name: `${roleName} over ${assignment.scope.type} ${assignment.scope.id}`,
        environmentId: assignment.environmentId,
        path: `${collection}/${assignment.subject.id}/roleAssignments/${assignment.id}`,
      },
      description: `${roleName} over ${assignment.scope.type} ${assignment.scope.id} ${verb} ${assignment.subject.type.toLowerCase()} ${assignment.subject.id}`,
    });
  }

  private invalidate(subject: AssignmentSubject): void {
    if (subject.type === 'APPLICATION') this.resolver.invalidate(subject.id);
  }
}

function invalid(target: string, message: string, allowedValues?: string[]): ValidationFailed {
  return new ValidationFailed([{ code: 'INVALID_VALUE', target, message, ...(allowedValues ? { innerError: { allowedValues } } : {}) }]);
}
