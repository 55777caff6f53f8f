import type { FilterSchema } from '../common/filter/scim-filter.js';

/** The attributes a group list can be filtered on, and how (PingOne's group search). */
export const GROUP_FILTER_SCHEMA: FilterSchema = {
  id: { type: 'string', operators: ['eq'] },
  name: { type: 'string', operators: ['eq', 'sw'] },
  externalId: { type: 'string', operators: ['eq'] },
  'population.id': { type: 'string', operators: ['eq'] },
};
