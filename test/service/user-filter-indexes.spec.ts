import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseFilter } from '../../src/common/filter/scim-filter.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { USER_FILTER_SCHEMA } from '../../src/users/user-filter.js';
import { UsersModule } from '../../src/users/users.module.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { serviceHarness, type ServiceHarness } from '../support/service-harness.js';

/**
 * The indexes of migration 20261201182901_user_filter_indexes are on expressions, which the drift
 * check cannot see: this suite checks that they exist and that the statements the list sends match
 * them: with 5,000 users in the environment, a condition that no index serves shows as a scan with
 * a Filter, a matching one as an Index Cond on its index.
 */
describe('the user list filters are served by their indexes', () => {
  let h: ServiceHarness;
  let environmentId: string;
  const sent: Array<{ query: string; params: unknown[] }> = [];

  beforeAll(async () => {
    h = await serviceHarness(UsersModule, {}, { onQuery: (query, params) => sent.push({ query, params }) });
    const { populationId, ...rest } = await h.environment();
    environmentId = rest.environmentId;
    // Enough users that reading the environment in id order and filtering costs more than the index.
    await h.get(TransactionHost).tx.$executeRawUnsafe(
      `INSERT INTO "User" (id, "environmentId", "populationId", username, "usernameLower", email, "nameFamily", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, 'User' || g, 'user' || g, 'User' || g || '@example.com', 'Family' || (g % 500), now()
       FROM generate_series(1, 5000) AS g`,
      environmentId,
      populationId,
    );
    await h.get(TransactionHost).tx.$executeRawUnsafe('ANALYZE "User"');
  });
  afterAll(async () => h.close());

  async function plansOf(filter: string): Promise<string[]> {
    sent.length = 0;
    await h.get(UsersRepository).list(environmentId, parseFilter(filter, USER_FILTER_SCHEMA), 100);
    const statements = sent.filter((s) => /FROM "User"/.test(s.query));
    expect(statements).toHaveLength(2);
    const transactions = h.get(TransactionHost);
    const plans: string[] = [];
    for (const { query, params } of statements) {
      const rows = await transactions.tx.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN ${query}`, ...params);
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    return plans;
  }

  it.each([
    ['email eq "USER42@example.com"', 'User_environmentId_lower_email_idx'],
    ['email sw "user42@"', 'User_environmentId_lower_email_idx'],
    ['name.family eq "family7"', 'User_environmentId_lower_nameFamily_idx'],
    ['name.family sw "FAMILY49"', 'User_environmentId_lower_nameFamily_idx'],
    ['username sw "User42"', 'User_environmentId_lower_usernameLower_idx'],
    ['username eq "USER42"', 'User_environmentId_usernameLower_key'],
  ])('%s: the page and the count use %s', async (filter, index) => {
    for (const plan of await plansOf(filter)) {
      expect(plan).toContain(index);
      expect(plan).toMatch(/Index Cond: .*(lower\(|"usernameLower" =)/);
    }
  });
});
