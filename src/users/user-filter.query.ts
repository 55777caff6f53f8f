import { type FilterNode, operandsOf } from '../common/filter/scim-filter.js';
import { accountLockHolds } from './account/lock.query.js';
import { Prisma } from '../generated/prisma/client.js';
import { parseId } from '../common/params/ids.js';

const NOTHING = Prisma.sql`FALSE`;

/** For each group a filter names, that group and every group nested in it at any depth. */
export type GroupClosures = ReadonlyMap<string, readonly string[]>;

/** The ids of the groups a filter names in `memberOfGroups[id eq "..."]`, parsed; others match nothing. */
export function groupsNamedIn(node: FilterNode): string[] {
  if (node.kind !== 'compare') return [...groupsNamedIn(node.left), ...groupsNamedIn(node.right)];
  const id = node.attribute === 'memberOfGroups.id' ? parseId(node.value) : undefined;
  return id ? [id] : [];
}

/** The case-insensitive text attributes and their columns. */
const TEXT_COLUMNS = {
  email: 'email',
  'name.given': 'nameGiven',
  'name.family': 'nameFamily',
  externalId: 'externalId',
} as const;

/**
 * Translates a parsed filter into a condition on "User" (docs/user-filters.md); values are always
 * bound, never spliced. Case-insensitive comparisons are `lower(column) = lower(value)` and
 * `lower(column) LIKE lower(prefix) || '%'`, which is what ILIKE does in a UTF-8 database, written
 * so that the btree indexes on ("environmentId", lower(column) text_pattern_ops) can serve them.
 * `groups` holds the closure of every group the filter names (see `groupsNamedIn`).
 */
export function userFilterSql(node: FilterNode, now: Date, groups: GroupClosures = new Map()): Prisma.Sql {
  if (node.kind !== 'compare') {
    // A chain of one connective as one flat list (a chain of 60 ands nested in pairs is as deep).
    const operands = operandsOf(node).map((operand) => userFilterSql(operand, now, groups));
    return Prisma.sql`(${Prisma.join(operands, node.kind === 'and' ? ' AND ' : ' OR ')})`;
  }
  const { attribute, operator, value } = node;
  if (typeof value === 'boolean') return attribute === 'enabled' ? Prisma.sql`"enabled" = ${value}` : NOTHING;
  switch (attribute) {
    case 'id':
      return byId('id', value);
    case 'username': {
      // The stored lower-cased copy: eq uses the unique index. lower() of the copy is the copy
      // itself; sw spells it out to match the expression of its index.
      const lower = value.toLowerCase();
      return operator === 'eq'
        ? Prisma.sql`"usernameLower" = ${lower}`
        : Prisma.sql`lower("usernameLower") LIKE (lower(${likeLiteral(lower)}) || '%')`;
    }
    case 'email':
    case 'name.given':
    case 'name.family':
    case 'externalId':
      return caseInsensitive(TEXT_COLUMNS[attribute], operator, value);
    case 'population.id':
      return byId('populationId', value);
    case 'account.status':
      return accountStatus(value.toUpperCase(), now);
    case 'memberOfGroups.id': {
      // A direct membership of the group or of any group nested in it (an EXISTS on the membership index).
      const closure = groups.get(parseId(value) ?? '');
      return closure?.length
        ? Prisma.sql`EXISTS (SELECT 1 FROM "GroupMembership" m WHERE m."userId" = "User"."id" AND m."groupId" = ANY(${[...closure]}::uuid[]))`
        : NOTHING;
    }
    default:
      return NOTHING;
  }
}

function caseInsensitive(column: (typeof TEXT_COLUMNS)[keyof typeof TEXT_COLUMNS], operator: string, value: string): Prisma.Sql {
  const lhs = Prisma.raw(`lower("${column}")`);
  return operator === 'eq' ? Prisma.sql`${lhs} = lower(${value})` : Prisma.sql`${lhs} LIKE (lower(${likeLiteral(value)}) || '%')`;
}

/** An id compared with a value that is not an id matches nothing. */
function byId(column: 'id' | 'populationId', value: string): Prisma.Sql {
  const id = parseId(value);
  return id === undefined ? NOTHING : Prisma.sql`${Prisma.raw(`"${column}"`)} = ${id}::uuid`;
}

/** LIKE's wildcards and its escape character as plain characters: `sw "%"` must not match everyone. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Matches the status callers see, in which an expired timed lock already reads as OK. */
function accountStatus(status: string, now: Date): Prisma.Sql {
  if (status === 'LOCKED') return accountLockHolds(now);
  if (status === 'OK') return Prisma.sql`NOT ${accountLockHolds(now)}`;
  return NOTHING;
}
