import type { FilterNode, FilterSchema } from '../common/filter/scim-filter.js';
import type { Prisma } from '../generated/prisma/client.js';
import { parseId } from '../common/params/ids.js';

/** The attributes a user list can be filtered on, and how. */
export const USER_FILTER_SCHEMA: FilterSchema = {
  id: { type: 'string', operators: ['eq'] },
  username: { type: 'string', operators: ['eq', 'sw'] },
  email: { type: 'string', operators: ['eq', 'sw'] },
  'name.given': { type: 'string', operators: ['eq', 'sw'] },
  'name.family': { type: 'string', operators: ['eq', 'sw'] },
  externalId: { type: 'string', operators: ['eq', 'sw'] },
  'population.id': { type: 'string', operators: ['eq'] },
  enabled: { type: 'boolean', operators: ['eq'] },
  'account.status': { type: 'string', operators: ['eq'] },
};

const NOTHING: Prisma.UserWhereInput = { id: { in: [] } };

/** Translates a parsed filter into a Prisma condition; values are always bound, never spliced. */
export function toUserWhere(node: FilterNode, now: Date): Prisma.UserWhereInput {
  if (node.kind !== 'compare') {
    const both = [toUserWhere(node.left, now), toUserWhere(node.right, now)];
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
  if (status === 'LOCKED') return { accountStatus: 'LOCKED', OR: [{ unlockAt: null }, { unlockAt: { gt: now } }] };
  if (status === 'OK') return { OR: [{ accountStatus: 'OK' }, { unlockAt: { lte: now } }] };
  return NOTHING;
}
