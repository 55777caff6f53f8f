import type { FilterSchema } from '../common/filter/scim-filter.js';

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
  // PingOne's `memberOfGroups[id eq "..."]`: direct and indirect (nested) members of the group.
  memberOfGroups: { type: 'complex', subAttributes: { id: { type: 'string', operators: ['eq'] } } },
};
