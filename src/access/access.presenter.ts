import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PERMISSION_DESCRIPTIONS } from '../common/authorization/permissions.js';
import type { AssignmentSubject, RoleAssignment } from './role-assignments.repository.js';
import type { Role } from '../common/authorization/roles.js';
import type { RoleAssignmentListResponse, RoleAssignmentResponse, RoleListResponse, RoleResponse } from './dto/access.response.js';

/** PingOne's bodies for roles and role assignments. */
@Injectable()
export class AccessPresenter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  role(role: Role): RoleResponse {
    return {
      _links: { self: { href: `${this.config.publicBaseUrl}/v1/roles/${role.id}` } },
      id: role.id,
      name: role.name,
      description: role.description,
      applicableTo: [...role.applicableTo],
      permissions: [...role.permissions].map((id) => ({ id, description: PERMISSION_DESCRIPTIONS[id] })),
    };
  }

  roles(roles: readonly Role[]): RoleListResponse {
    return {
      _links: { self: { href: `${this.config.publicBaseUrl}/v1/roles` } },
      _embedded: { roles: roles.map((r) => this.role(r)) },
      count: roles.length,
      size: roles.length,
    };
  }

  assignment(assignment: RoleAssignment): RoleAssignmentResponse {
    const environment = `${this.config.publicBaseUrl}/v1/environments/${assignment.environmentId}`;
    const subject = this.subjectHref(assignment.environmentId, assignment.subject);
    return {
      _links: {
        self: { href: `${subject}/roleAssignments/${assignment.id}` },
        environment: { href: environment },
        role: { href: `${this.config.publicBaseUrl}/v1/roles/${assignment.roleId}` },
        [assignment.subject.type === 'APPLICATION' ? 'application' : 'user']: { href: subject },
      },
      id: assignment.id,
      environment: { id: assignment.environmentId },
      role: { id: assignment.roleId },
      scope: { id: assignment.scope.id, type: assignment.scope.type },
      readOnly: false,
      createdAt: assignment.createdAt.toISOString(),
    };
  }

  assignments(environmentId: string, subject: AssignmentSubject, assignments: RoleAssignment[]): RoleAssignmentListResponse {
    return {
      _links: { self: { href: `${this.subjectHref(environmentId, subject)}/roleAssignments` } },
      _embedded: { roleAssignments: assignments.map((a) => this.assignment(a)) },
      count: assignments.length,
      size: assignments.length,
    };
  }

  private subjectHref(environmentId: string, subject: AssignmentSubject): string {
    const collection = subject.type === 'APPLICATION' ? 'applications' : 'users';
    return `${this.config.publicBaseUrl}/v1/environments/${environmentId}/${collection}/${subject.id}`;
  }
}
