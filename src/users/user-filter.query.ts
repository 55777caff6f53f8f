import type { FilterNode } from '../common/filter/scim-filter.js';
import { accountLocked, accountNotLocked } from './account/lock.query.js';
import type { Prisma } from '../generated/prisma/client.js';
import { parseId } from '../common/params/ids.js';

const NOTHING: Prisma.UserWhereInput = { id: { in: [] } };

/** For each group a filter names, that group and every group nested in it at any depth. */
export type GroupClosures = ReadonlyMap<string, readonly string[]>;

/** The ids of the groups a filter names in `memberOfGroups[id eq "..."]`, parsed; others match nothing. */
export function groupsNamedIn(node: FilterNode): string[] {
  if (node.kind !== 'compare') return [...groupsNamedIn(node.left), ...groupsNamedIn(node.right)];
  const id = node.attribute === 'memberOfGroups.id' ? parseId(node.value) : undefined;
  return id ? [id] : [];
}

/**
 * Translates a parsed filter into a Prisma condition; values are always bound, never spliced.
 * `groups` holds the closure of every group the filter names (see `groupsNamedIn`).
 */
export function toUserWhere(node: FilterNode, now: Date, groups: GroupClosures = new Map()): Prisma.UserWhereInput {
  if (node.kind !== 'compare') {
    const both = [toUserWhere(node.left, now, groups), toUserWhere(node.right, now, groups)];
    return node.kind === 'and' ? { AND: both } : { OR: both };
  }
  const { attribute, operator, value } = node;
  if (typeof value === 'boolean') return attribute === 'enabled' ? { enabled: value } : NOTHING;
  const text = (column: 'email' | 'nameGiven' | 'nameFamily' | 'externalId'): Prisma.UserWhereInput => ({
    [column]: operator === 'eq' ? { equals: value, mode: 'insensitive' } : { startsWith: likeLiteral(value), mode: 'insensitive' },
  });
  switch (attribute) {
    case 'id':
      return byId('id', value);
    case 'username': {
      const lower = value.toLowerCase();
      return { usernameLower: operator === 'eq' ? lower : { startsWith: likeLiteral(lower) } };
    }
    case 'email':
      return text('email');
    case 'name.given':
      return text('nameGiven');
    case 'name.family':
      return text('nameFamily');
    case 'externalId':
      return text('externalId');
    case 'population.id':
      return byId('populationId', value);
    case 'account.status':
      return accountStatus(value.toUpperCase(), now);
    case 'memberOfGroups.id': {
      // A direct membership of the group or of any group nested in it (an EXISTS on the membership index).
      const closure = groups.get(parseId(value) ?? '');
      return closure?.length ? { groups: { some: { groupId: { in: [...closure] } } } } : NOTHING;
    }
    default:
      return NOTHING;
  }
}

/** An id compared with a value that is not an id matches nothing. */
function byId(column: 'id' | 'populationId', value: string): Prisma.UserWhereInput {
  const id = parseId(value);
  return id === undefined ? NOTHING : { [column]: id };
}

/** Prisma turns startsWith into LIKE 'value%' without escaping: `sw "%"` must not match everyone. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Matches the status callers see, in which an expired timed lock already reads as OK. */
function accountStatus(status: string, now: Date): Prisma.UserWhereInput {
  if (status === 'LOCKED') return accountLocked(now);
  if (status === 'OK') return accountNotLocked(now);
  return NOTHING;
}
