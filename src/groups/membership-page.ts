import { parseFilter, type FilterNode, type FilterSchema } from '../common/filter/scim-filter.js';
import { decodeCursor } from '../common/pagination/cursor.js';
import type { Group, Membership } from './group.js';
import type { Reached } from './memberships.repository.js';

/** What a list of memberships can be filtered on: PingOne's `type eq "DIRECT"`, and the group's id. */
export const MEMBERSHIP_FILTER_SCHEMA: FilterSchema = {
  type: { type: 'string', operators: ['eq'] },
  id: { type: 'string', operators: ['eq'] },
};

export interface MembershipPage {
  memberships: Membership[];
  hasMore: boolean;
}

/**
 * One page of memberships, in group id order. The groups one user or group belongs to are few
 * (they are read whole by one indexed walk), so filtering and paging happen here.
 */
export function membershipPage(
  reached: readonly Reached[],
  groups: readonly Group[],
  query: { filter?: string; limit?: number; cursor?: string },
  defaultLimit: number,
): MembershipPage {
  const filter = query.filter?.trim() ? parseFilter(query.filter, MEMBERSHIP_FILTER_SCHEMA) : undefined;
  const afterId = query.cursor ? decodeCursor(query.cursor) : undefined;
  const direct = new Map(reached.map((r) => [r.id, r.direct]));
  const all = groups
    .map((group): Membership => ({ group, type: direct.get(group.id) ? 'DIRECT' : 'INDIRECT' }))
    .filter((m) => (afterId === undefined || m.group.id > afterId) && (!filter || matches(filter, m)));
  const limit = query.limit ?? defaultLimit;
  return { memberships: all.slice(0, limit), hasMore: all.length > limit };
}

function matches(node: FilterNode, m: Membership): boolean {
  if (node.kind !== 'compare') {
    return node.kind === 'and' ? matches(node.left, m) && matches(node.right, m) : matches(node.left, m) || matches(node.right, m);
  }
  const value = String(node.value);
  return node.attribute === 'type' ? m.type === value.toUpperCase() : m.group.id === value.toLowerCase();
}
