import { type FilterNode, type FilterSchema, parseFilter } from '../common/filter/scim-filter.js';
import { parseId } from '../common/params/ids.js';
import type { Environment } from './environments.repository.js';

/** What `GET /environments?filter=` accepts: PingOne's `eq`, `sw` and `and`, plus `or`. */
export const ENVIRONMENT_FILTER_SCHEMA: FilterSchema = {
  id: { type: 'string', operators: ['eq'] },
  name: { type: 'string', operators: ['eq', 'sw'] },
  'license.id': { type: 'string', operators: ['eq'] },
  type: { type: 'string', operators: ['eq'] },
  region: { type: 'string', operators: ['eq'] },
};

export function parseEnvironmentFilter(text: string | undefined): FilterNode | undefined {
  return text?.trim() ? parseFilter(text, ENVIRONMENT_FILTER_SCHEMA) : undefined;
}

/**
 * Whether an environment matches the filter. A caller sees at most its own environment, so the
 * filter is applied to that one row in memory rather than in SQL.
 */
export function matchesEnvironment(environment: Environment, node: FilterNode): boolean {
  if (node.kind !== 'compare') {
    const [left, right] = [matchesEnvironment(environment, node.left), matchesEnvironment(environment, node.right)];
    return node.kind === 'and' ? left && right : left || right;
  }
  const value = String(node.value);
  const actual = attribute(environment, node.attribute);
  switch (node.attribute) {
    case 'id':
    case 'license.id':
      return parseId(value) === actual;
    default:
      return node.operator === 'sw' ? actual.toLowerCase().startsWith(value.toLowerCase()) : actual === value;
  }
}

function attribute(environment: Environment, name: string): string {
  switch (name) {
    case 'id':
      return environment.id;
    case 'license.id':
      return environment.licenseId;
    case 'type':
      return environment.type;
    case 'region':
      return environment.region;
    default:
      return environment.name;
  }
}
