import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { UserAttribute } from '../common/authorization/principal.js';
import type { Grant, Scope } from '../common/authorization/access.js';
import { parseId } from '../common/params/ids.js';
import { accountNotLocked } from '../users/index.js';

export type AssignmentSubject = { type: 'APPLICATION'; id: string } | { type: 'USER'; id: string };

export interface RoleAssignment extends Grant {
  id: string;
  environmentId: string;
  subject: AssignmentSubject;
  createdAt: Date;
}

type Row = {
  id: string;
  environmentId: string;
  applicationId: string | null;
  userId: string | null;
  roleId: string;
  scopeType: Scope['type'];
  scopeId: string;
  createdAt: Date;
};

const subjectWhere = (subject: AssignmentSubject) =>
  subject.type === 'APPLICATION' ? { applicationId: subject.id } : { userId: subject.id };

@Injectable()
export class RoleAssignmentsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /**
   * The grants of an enabled application of the environment; none for a disabled, deleted or
   * foreign one, so such a caller's token reaches nothing even before it expires.
   */
  async grantsOfApplication(environmentId: string, applicationId: string): Promise<Grant[]> {
    const rows = await this.txHost.tx.roleAssignment.findMany({
      where: { applicationId, environmentId, application: { enabled: true, environmentId } },
      select: { roleId: true, scopeType: true, scopeId: true },
    });
    return rows.map((r) => ({ roleId: r.roleId, scope: { type: r.scopeType, id: r.scopeId } }));
  }

  /**
   * The grants of the user of the environment named by `attribute` = `value`, while that user is
   * enabled and not locked; none otherwise, and none when the name is ambiguous (two users with
   * one externalId).
   */
  async grantsOfUser(environmentId: string, attribute: UserAttribute, value: string, now: Date): Promise<Grant[]> {
    const id = parseId(value);
    if (attribute === 'id' && id === undefined) return [];
    const named = attribute === 'id' ? { id } : attribute === 'username' ? { usernameLower: value.toLowerCase() } : { externalId: value };
    const users = await this.txHost.tx.user.findMany({
      where: {
        environmentId,
        ...named,
        enabled: true,
        ...accountNotLocked(now),
      },
      select: { roleAssignments: { select: { roleId: true, scopeType: true, scopeId: true } } },
      take: 2,
    });
    if (users.length !== 1) return [];
    return (users[0]?.roleAssignments ?? []).map((r) => ({ roleId: r.roleId, scope: { type: r.scopeType, id: r.scopeId } }));
  }

  async create(assignment: { id: string; environmentId: string; subject: AssignmentSubject } & Grant): Promise<RoleAssignment> {
    const row = await this.txHost.tx.roleAssignment.create({
      data: {
        id: assignment.id,
        environmentId: assignment.environmentId,
        ...subjectWhere(assignment.subject),
        roleId: assignment.roleId,
        scopeType: assignment.scope.type,
        scopeId: assignment.scope.id,
      },
    });
    return toAssignment(row);
  }

  async findExisting(subject: AssignmentSubject, grant: Grant): Promise<string | undefined> {
    const row = await this.txHost.tx.roleAssignment.findFirst({
      where: { ...subjectWhere(subject), roleId: grant.roleId, scopeType: grant.scope.type, scopeId: grant.scope.id },
      select: { id: true },
    });
    return row?.id;
  }

  async listFor(environmentId: string, subject: AssignmentSubject): Promise<RoleAssignment[]> {
    const rows = await this.txHost.tx.roleAssignment.findMany({
      where: { environmentId, ...subjectWhere(subject) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toAssignment);
  }

  async find(environmentId: string, subject: AssignmentSubject, id: string): Promise<RoleAssignment | null> {
    const row = await this.txHost.tx.roleAssignment.findFirst({ where: { id, environmentId, ...subjectWhere(subject) } });
    return row ? toAssignment(row) : null;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.txHost.tx.roleAssignment.deleteMany({ where: { id } })).count === 1;
  }
}

function toAssignment(row: Row): RoleAssignment {
  return {
    id: row.id,
    environmentId: row.environmentId,
    subject: row.applicationId ? { type: 'APPLICATION', id: row.applicationId } : { type: 'USER', id: row.userId as string },
    roleId: row.roleId,
    scope: { type: row.scopeType, id: row.scopeId },
    createdAt: row.createdAt,
  };
}
