import type { FilterNode } from '../common/filter/scim-filter.js';
import { parseId } from '../common/params/ids.js';
import type { Prisma } from '../generated/prisma/client.js';

const NOTHING: Prisma.GroupWhereInput = { id: { in: [] } };

/** Translates a parsed group filter into a Prisma condition; values are bound, never spliced. */
export function toGroupWhere(node: FilterNode): Prisma.GroupWhereInput {
  if (node.kind !== 'compare') {
    const both = [toGroupWhere(node.left), toGroupWhere(node.right)];
    return node.kind === 'and' ? { AND: both } : { OR: both };
  }
  const { attribute, operator, value } = node;
  if (typeof value !== 'string') return NOTHING;
  switch (attribute) {
    case 'id':
      return byId('id', value);
    case 'population.id':
      return byId('populationId', value);
    case 'name':
      // Names compare exactly, as they are unique: `sw` is a prefix of the stored name.
      return { name: operator === 'eq' ? value : { startsWith: likeLiteral(value) } };
    case 'externalId':
      return { externalId: value };
    default:
      return NOTHING;
  }
}

function byId(column: 'id' | 'populationId', value: string): Prisma.GroupWhereInput {
  const id = parseId(value);
  return id === undefined ? NOTHING : { [column]: id };
}

/** Prisma turns startsWith into LIKE 'value%' without escaping: `sw "%"` must not match every group. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
