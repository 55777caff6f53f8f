import { type FilterNode, operandsOf } from '../common/filter/scim-filter.js';
import { parseId } from '../common/params/ids.js';
import type { Prisma } from '../generated/prisma/client.js';

const NOTHING: Prisma.OutboxEventWhereInput = { sequence: { lt: 0 } };
const RANGE = { gt: 'gt', ge: 'gte', lt: 'lt', le: 'lte' } as const;

/** Translates a parsed activity filter into a Prisma condition; values are always bound, never spliced. */
export function toActivityWhere(node: FilterNode): Prisma.OutboxEventWhereInput {
  if (node.kind !== 'compare') {
    const operands = operandsOf(node).map(toActivityWhere);
    return node.kind === 'and' ? { AND: operands } : { OR: operands };
  }
  const { attribute, operator, value } = node;
  if (typeof value !== 'string') return NOTHING;
  switch (attribute) {
    // Both times are the instant the event was recorded, kept in "createdAt".
    case 'recordedAt':
    case 'createdAt':
      return operator === 'eq' || operator === 'sw' ? NOTHING : { createdAt: { [RANGE[operator]]: new Date(value) } };
    case 'action.type':
      return { type: value };
    case 'resources.id':
      return byId('resourceId', value);
    case 'resources.population.id':
      return byId('populationId', value);
    case 'correlationId':
      return { correlationId: value };
    case 'actors.client.id':
      return { actorClientId: parseId(value) ?? value };
    case 'actors.user.id':
      return { actorUserId: parseId(value) ?? value };
    case 'result.status':
      return { resultStatus: value.toUpperCase() };
    default:
      return NOTHING;
  }
}

function byId(column: 'resourceId' | 'populationId', value: string): Prisma.OutboxEventWhereInput {
  const id = parseId(value);
  return id === undefined ? NOTHING : { [column]: id };
}
