import { type FilterNode, operandsOf } from '../common/filter/scim-filter.js';
import { accountLocked, accountNotLocked } from './account/lock.query.js';
import type { Prisma } from '../generated/prisma/client.js';
import { parseId } from '../common/params/ids.js';

const NOTHING: Prisma.UserWhereInput = { id: { in: [] } };

/** Translates a parsed filter into a Prisma condition; values are always bound, never spliced. */
export function toUserWhere(node: FilterNode, now: Date): Prisma.UserWhereInput {
  if (node.kind !== 'compare') {
    const operands = operandsOf(node).map((operand) => toUserWhere(operand, now));
    return node.kind === 'and' ? { AND: operands } : { OR: operands };
  }
  const { attribute, operator, value } = node;
  if (typeof value === 'boolean') return attribute === 'enabled' ? { enabled: value } : NOTHING;
  const text = (column: 'email' | 'nameGiven' | 'nameFamily' | 'externalId'): Prisma.UserWhereInput => ({
    // Both become ILIKE in Prisma (`equals` with `insensitive` too), so both take an escaped value.
    [column]:
      operator === 'eq' ? { equals: likeLiteral(value), mode: 'insensitive' } : { startsWith: likeLiteral(value), mode: 'insensitive' },
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
    default:
      return NOTHING;
  }
}

/** An id compared with a value that is not an id matches nothing. */
function byId(column: 'id' | 'populationId', value: string): Prisma.UserWhereInput {
  const id = parseId(value);
  return id === undefined ? NOTHING : { [column]: id };
}

/**
 * Prisma turns startsWith into LIKE 'value%' and a case-insensitive equals into ILIKE 'value', both
 * without escaping: `sw "%"` or `eq "%"` must not match everyone, nor `eq "a_b"` match "a-b".
 */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Matches the status callers see, in which an expired timed lock already reads as OK. */
function accountStatus(status: string, now: Date): Prisma.UserWhereInput {
  if (status === 'LOCKED') return accountLocked(now);
  if (status === 'OK') return accountNotLocked(now);
  return NOTHING;
}
