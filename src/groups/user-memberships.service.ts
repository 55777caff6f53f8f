import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { ResourceNotFound, UniquenessViolation } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import { UserNotFound } from '../users/index.js';
import type { Group, Membership } from './group.js';
import { GroupNotFound, invalid } from './groups.errors.js';
import { GroupsRepository } from './groups.repository.js';
import { DEFAULT_PAGE_SIZE, groupResource } from './groups.service.js';
import { membershipPage, type MembershipPage } from './membership-page.js';
import { MembershipsRepository } from './memberships.repository.js';

/** Users' memberships of groups: added directly, or inherited through nested groups (INDIRECT). */
@Injectable()
export class UserMembershipsService {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly groups: GroupsRepository,
    private readonly transactions: TransactionHost,
    private readonly events: OutboxWriter,
  ) {}

  async list(environmentId: string, userId: string, query: { filter?: string; limit?: number; cursor?: string }): Promise<MembershipPage> {
    await this.user(environmentId, userId);
    const reached = await this.memberships.groupsOfUser(userId);
    const groups = await this.memberships.groupsByIds(
      environmentId,
      reached.map((r) => r.id),
    );
    return membershipPage(reached, groups, query, DEFAULT_PAGE_SIZE);
  }

  async get(environmentId: string, userId: string, groupId: string): Promise<Membership> {
    await this.user(environmentId, userId);
    const reached = (await this.memberships.groupsOfUser(userId)).find((r) => r.id === groupId);
    const [group] = reached ? await this.memberships.groupsByIds(environmentId, [groupId]) : [];
    if (!reached || !group) throw new ResourceNotFound('group membership');
    return { group, type: reached.direct ? 'DIRECT' : 'INDIRECT' };
  }

  /**
   * Adds the user to the group. A group bound to a population takes only that population's users
   * (PingOne's rule); an environment-wide group takes any user of the environment.
   */
  add(environmentId: string, userId: string, groupId: string, context: RequestContext): Promise<Membership> {
    return this.transactions.run(async () => {
      const user = await this.memberships.findUserForMembership(environmentId, userId);
      if (!user) throw new UserNotFound();
      const group = await this.groups.findById(environmentId, groupId);
      if (!group) throw invalid('id', 'No group with this id exists in the environment.');
      if (group.populationId !== null && group.populationId !== user.populationId) {
        throw invalid('id', "The group is bound to another population: only that population's users may join it.");
      }
      if (!(await this.addRow(group, userId))) throw new UniquenessViolation('id', group.id);
      await this.record('GROUP_MEMBERSHIP.CREATED', user, group, context, `Added user ${user.username} to group ${group.name}`);
      return { group, type: 'DIRECT' };
    });
  }

  /** Only a direct membership can be removed: one through nested groups ends when the nesting does. */
  remove(environmentId: string, userId: string, groupId: string, context: RequestContext): Promise<void> {
    return this.transactions.run(async () => {
      const user = await this.user(environmentId, userId);
      const group = await this.groups.findById(environmentId, groupId);
      if (!group || !(await this.memberships.removeUser(groupId, userId))) throw new ResourceNotFound('group membership');
      await this.record('GROUP_MEMBERSHIP.DELETED', user, group, context, `Removed user ${user.username} from group ${group.name}`);
    });
  }

  /** A group deleted meanwhile (its row gone when the insert checks the key) is a group that does not exist. */
  private async addRow(group: Group, userId: string): Promise<boolean> {
    try {
      return await this.memberships.addUser(group.id, userId);
    } catch (error) {
      if ((error as { code?: string }).code === 'P2003') throw new GroupNotFound();
      throw error;
    }
  }

  private async user(environmentId: string, userId: string) {
    return (await this.memberships.findUser(environmentId, userId)) ?? Promise.reject(new UserNotFound());
  }

  private async record(
    type: 'GROUP_MEMBERSHIP.CREATED' | 'GROUP_MEMBERSHIP.DELETED',
    user: { id: string; username: string; populationId: string },
    group: Group,
    context: RequestContext,
    description: string,
  ): Promise<void> {
    await this.events.record({
      type,
      context,
      subject: { id: user.id, username: user.username, environmentId: group.environmentId, populationId: user.populationId },
      related: [groupResource(group)],
      description,
    });
  }
}
