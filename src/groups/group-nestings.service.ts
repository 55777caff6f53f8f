import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { ResourceNotFound, UniquenessViolation } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import { MAX_NESTING_DEPTH, type Group, type Membership } from './group.js';
import { GroupNotFound, invalid } from './groups.errors.js';
import { GroupsRepository } from './groups.repository.js';
import { DEFAULT_PAGE_SIZE, groupResource } from './groups.service.js';
import { membershipPage, type MembershipPage } from './membership-page.js';
import { MembershipsRepository } from './memberships.repository.js';

/**
 * Groups nested in groups: the members of a nested group are (INDIRECT) members of every group
 * above it. A nesting is checked and written under the environment's group lock, so two requests
 * that would together close a cycle are decided one after the other (docs/groups.md, "Nesting").
 */
@Injectable()
export class GroupNestingsService {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly groups: GroupsRepository,
    private readonly transactions: TransactionHost,
    private readonly events: OutboxWriter,
  ) {}

  async list(environmentId: string, groupId: string, query: { filter?: string; limit?: number; cursor?: string }): Promise<MembershipPage> {
    await this.group(environmentId, groupId);
    const reached = await this.memberships.groupsOfGroup(groupId);
    const groups = await this.memberships.groupsByIds(
      environmentId,
      reached.map((r) => r.id),
    );
    return membershipPage(reached, groups, query, DEFAULT_PAGE_SIZE);
  }

  async get(environmentId: string, groupId: string, parentId: string): Promise<Membership> {
    await this.group(environmentId, groupId);
    const reached = (await this.memberships.groupsOfGroup(groupId)).find((r) => r.id === parentId);
    const [parent] = reached ? await this.memberships.groupsByIds(environmentId, [parentId]) : [];
    if (!reached || !parent) throw new ResourceNotFound('group nesting');
    return { group: parent, type: reached.direct ? 'DIRECT' : 'INDIRECT' };
  }

  add(environmentId: string, groupId: string, parentId: string, context: RequestContext): Promise<Membership> {
    return this.transactions.run(async () => {
      await this.groups.lockEnvironment(environmentId);
      const group = await this.group(environmentId, groupId);
      const parent = await this.groups.findById(environmentId, parentId);
      if (!parent) throw invalid('id', 'No group with this id exists in the environment.');
      await this.requireAllowed(group, parent);
      if (!(await this.memberships.addNesting(groupId, parentId))) throw new UniquenessViolation('id', parentId);
      await this.record('GROUP_NESTING.CREATED', group, parent, context, `Nested group ${group.name} in group ${parent.name}`);
      return { group: parent, type: 'DIRECT' };
    });
  }

  remove(environmentId: string, groupId: string, parentId: string, context: RequestContext): Promise<void> {
    return this.transactions.run(async () => {
      await this.groups.lockEnvironment(environmentId);
      const group = await this.group(environmentId, groupId);
      const parent = await this.groups.findById(environmentId, parentId);
      if (!parent || !(await this.memberships.removeNesting(groupId, parentId))) throw new ResourceNotFound('group nesting');
      await this.record('GROUP_NESTING.DELETED', group, parent, context, `Took group ${group.name} out of group ${parent.name}`);
    });
  }

  /** PingOne's population rules, then no cycle and no chain longer than MAX_NESTING_DEPTH. */
  private async requireAllowed(group: Group, parent: Group): Promise<void> {
    if (parent.populationId !== null && group.populationId === null) {
      throw invalid('id', "An environment-wide group cannot be nested in a population's group.");
    }
    if (parent.populationId !== null && parent.populationId !== group.populationId) {
      throw invalid('id', "A population's group can be nested only in a group of the same population or an environment-wide group.");
    }
    const above = await this.memberships.groupsOfGroup(parent.id);
    if (parent.id === group.id || above.some((r) => r.id === group.id)) {
      throw invalid('id', 'The nesting would make a cycle: the group would become a member of itself.');
    }
    const chain = (await this.memberships.heightAbove(parent.id)) + 1 + (await this.memberships.depthBelow(group.id)) + 1;
    if (chain > MAX_NESTING_DEPTH) {
      throw invalid('id', `Groups nest at most ${MAX_NESTING_DEPTH} deep; this nesting would make a chain of ${chain}.`);
    }
  }

  private async group(environmentId: string, groupId: string): Promise<Group> {
    return (await this.groups.findById(environmentId, groupId)) ?? Promise.reject(new GroupNotFound());
  }

  private async record(
    type: 'GROUP_NESTING.CREATED' | 'GROUP_NESTING.DELETED',
    group: Group,
    parent: Group,
    context: RequestContext,
    description: string,
  ): Promise<void> {
    await this.events.record({ type, context, resource: groupResource(group), related: [groupResource(parent)], description });
  }
}
