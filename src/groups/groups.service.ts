import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Reach } from '../common/authorization/access.js';
import type { RequestContext } from '../common/context/request-context.js';
import { parseFilter } from '../common/filter/scim-filter.js';
import { decodeCursor } from '../common/pagination/cursor.js';
import { TransactionHost } from '../database/transaction-host.js';
import type { EventType } from '../events/event-catalog.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import type { GroupBodyDto, GroupPatchDto } from './dto/group-body.dto.js';
import type { Group, GroupFields, MemberCounts } from './group.js';
import { GROUP_FILTER_SCHEMA } from './group-filter.js';
import { toGroupWhere } from './group-filter.query.js';
import { GroupNameTaken, GroupNotFound, invalid } from './groups.errors.js';
import { GroupsRepository } from './groups.repository.js';

export const DEFAULT_PAGE_SIZE = 100;

/** A group with its member counts, as the presenter shows it. */
export interface GroupView {
  group: Group;
  counts: MemberCounts;
}

export interface GroupViewPage {
  groups: GroupView[];
  total: number;
  hasMore: boolean;
}

/**
 * Groups: create, read, list, replace, patch, delete. Every write holds the environment's group
 * lock, under which the name rules are checked, and records its event in the same transaction.
 */
@Injectable()
export class GroupsService {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly transactions: TransactionHost,
    private readonly events: OutboxWriter,
  ) {}

  async list(environmentId: string, query: { filter?: string; limit?: number; cursor?: string }, reach: Reach): Promise<GroupViewPage> {
    const filter = query.filter?.trim() ? toGroupWhere(parseFilter(query.filter, GROUP_FILTER_SCHEMA)) : undefined;
    const afterId = query.cursor ? decodeCursor(query.cursor) : undefined;
    const populationIds = reach.kind === 'populations' ? [...reach.populationIds] : reach.kind === 'none' ? [] : undefined;
    const page = await this.groups.list(environmentId, filter, query.limit ?? DEFAULT_PAGE_SIZE, afterId, populationIds);
    const counts = await this.groups.directCounts(page.groups.map((g) => g.id));
    return { ...page, groups: page.groups.map((group) => ({ group, counts: { direct: counts.get(group.id)! } })) };
  }

  async get(environmentId: string, id: string, include?: 'totalMemberCounts'): Promise<GroupView> {
    const group = (await this.groups.findById(environmentId, id)) ?? notFound();
    const view = await this.view(group);
    if (include === 'totalMemberCounts') view.counts.totalUsers = await this.groups.totalUsers(id);
    return view;
  }

  create(environmentId: string, body: GroupBodyDto, context: RequestContext): Promise<GroupView> {
    return this.transactions.run(async () => {
      await this.groups.lockEnvironment(environmentId);
      const populationId = body.population?.id ?? null;
      if (populationId && !(await this.groups.populationExists(environmentId, populationId))) {
        throw invalid('population.id', 'No population with this id exists in the environment.');
      }
      const fields = fullFields(body);
      await this.requireNameFree(environmentId, populationId, fields.name);
      const group = await this.groups.create(environmentId, randomUUID(), populationId, fields);
      await this.record('GROUP.CREATED', group, context, `Created group ${group.name}`);
      return { group, counts: { direct: { users: 0, groups: 0 } } };
    });
  }

  /** PUT: every writable attribute takes the body's value; those left out are cleared. */
  replace(environmentId: string, id: string, body: GroupBodyDto, context: RequestContext): Promise<GroupView> {
    return this.update(environmentId, id, body, fullFields(body), context);
  }

  /** PATCH: only the attributes in the body change. */
  patch(environmentId: string, id: string, body: GroupPatchDto, context: RequestContext): Promise<GroupView> {
    const { population: _population, ...changes } = body;
    return this.update(environmentId, id, body, changes, context);
  }

  /** The group's user memberships and nestings go with it; one GROUP.DELETED records it (docs/groups.md). */
  delete(environmentId: string, id: string, context: RequestContext): Promise<void> {
    return this.transactions.run(async () => {
      await this.groups.lockEnvironment(environmentId);
      const group = (await this.groups.delete(environmentId, id)) ?? notFound();
      await this.record('GROUP.DELETED', group, context, `Deleted group ${group.name}`);
    });
  }

  private update(
    environmentId: string,
    id: string,
    body: GroupPatchDto,
    changes: Partial<GroupFields>,
    context: RequestContext,
  ): Promise<GroupView> {
    return this.transactions.run(async () => {
      await this.groups.lockEnvironment(environmentId);
      const current = (await this.groups.findById(environmentId, id)) ?? notFound();
      if (body.population !== undefined && body.population.id !== current.populationId) {
        throw invalid('population.id', "A group's population is set when it is created and cannot change.");
      }
      if (changes.name !== undefined && changes.name !== current.name) {
        await this.requireNameFree(environmentId, current.populationId, changes.name, id);
      }
      const group = (await this.groups.update(environmentId, id, changes)) ?? notFound();
      await this.record('GROUP.UPDATED', group, context, `Updated group ${group.name}`);
      return this.view(group);
    });
  }

  private async requireNameFree(environmentId: string, populationId: string | null, name: string, exceptId?: string): Promise<void> {
    const holder = await this.groups.nameHolder(environmentId, populationId, name, exceptId);
    if (holder) throw new GroupNameTaken(holder);
  }

  private async view(group: Group): Promise<GroupView> {
    const counts = await this.groups.directCounts([group.id]);
    return { group, counts: { direct: counts.get(group.id)! } };
  }

  private async record(type: EventType, group: Group, context: RequestContext, description: string): Promise<void> {
    await this.events.record({ type, context, resource: groupResource(group), description });
  }
}

/** A group as the resource of an event. */
export function groupResource(group: Group) {
  return {
    type: 'GROUP' as const,
    id: group.id,
    name: group.name,
    environmentId: group.environmentId,
    path: `groups/${group.id}`,
    ...(group.populationId ? { populationId: group.populationId } : {}),
  };
}

function fullFields(body: GroupBodyDto): GroupFields {
  return {
    name: body.name,
    description: body.description ?? null,
    externalId: body.externalId ?? null,
    customData: body.customData ?? null,
  };
}

function notFound(): never {
  throw new GroupNotFound();
}
