import { ValidationFailed } from '../common/errors/domain-error.js';
import { type FilterNode, type FilterSchema, parseFilter } from '../common/filter/scim-filter.js';

/** What the activity log can be filtered on (PingOne's attributes; names in any case). */
export const ACTIVITY_FILTER_SCHEMA: FilterSchema = {
  recordedAt: { type: 'date-time', operators: ['gt', 'ge', 'lt', 'le'] },
  createdAt: { type: 'date-time', operators: ['gt', 'ge', 'lt', 'le'] },
  'action.type': { type: 'string', operators: ['eq'] },
  'resources.id': { type: 'string', operators: ['eq'] },
  'resources.population.id': { type: 'string', operators: ['eq'] },
  correlationId: { type: 'string', operators: ['eq'] },
  'actors.client.id': { type: 'string', operators: ['eq'] },
  'actors.user.id': { type: 'string', operators: ['eq'] },
  'result.status': { type: 'string', operators: ['eq'] },
};

const DATES = new Set(['recordedAt', 'createdAt']);

/**
 * Parses an activity filter and checks PingOne's rule: it holds a date range on `recordedAt` or
 * `createdAt` (a lower bound, `gt`/`ge`, and an upper bound, `lt`/`le`), joined to the rest of the
 * filter with `and`. The service records both times at once, so they are the same instant.
 */
export function parseActivityFilter(text: string | undefined): FilterNode {
  if (!text?.trim()) throw missingRange('An activity filter is required.');
  const tree = parseFilter(text, ACTIVITY_FILTER_SCHEMA);
  const terms = conjunction(tree);
  const bounds = terms.filter((t) => t.kind === 'compare' && DATES.has(t.attribute));
  const lower = bounds.some((t) => t.kind === 'compare' && (t.operator === 'gt' || t.operator === 'ge'));
  const upper = bounds.some((t) => t.kind === 'compare' && (t.operator === 'lt' || t.operator === 'le'));
  if (!lower || !upper) throw missingRange('The filter does not hold a date range.');
  if (containsDate(terms.filter((t) => t.kind !== 'compare'))) {
    throw missingRange('Dates may only be bounded at the top level of the filter, joined with and.');
  }
  return tree;
}

/** The terms joined by `and` at the top of the tree. */
function conjunction(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? [...conjunction(node.left), ...conjunction(node.right)] : [node];
}

function containsDate(nodes: FilterNode[]): boolean {
  return nodes.some((n) => (n.kind === 'compare' ? DATES.has(n.attribute) : containsDate([n.left, n.right])));
}

function missingRange(reason: string): ValidationFailed {
  return new ValidationFailed([
    {
      code: 'INVALID_FILTER',
      target: 'filter',
      message: `${reason} Activities are read by date range: for example recordedAt gt "2026-11-30T00:00:00Z" and recordedAt lt "2026-12-01T00:00:00Z", joined to any other condition with and.`,
      innerError: {
        supportedAttributes: Object.keys(ACTIVITY_FILTER_SCHEMA),
        supportedOperators: ['eq', 'gt', 'ge', 'lt', 'le', 'and', 'or'],
      },
    },
  ]);
}
