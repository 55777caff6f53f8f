import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { MfaDevicesRepository } from '../../src/mfa/mfa-devices.repository.js';
import { MfaModule } from '../../src/mfa/mfa.module.js';
import { parseFilter } from '../../src/common/filter/scim-filter.js';
import { AccountRepository } from '../../src/users/account/account.repository.js';
import { USER_FILTER_SCHEMA } from '../../src/users/user-filter.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { serviceHarness, type ServiceHarness } from '../support/service-harness.js';

/**
 * The SQL quoted in docs/ is the SQL the code sends. Each quoted block follows a marker
 * `<!-- sql: <name> -->`; this suite runs the statement of that name, captures the text Prisma
 * sends, names its parameters, and compares (white space aside). After changing a statement,
 * `UPDATE_DOCUMENTED_SQL=1 npm run test:service` rewrites the blocks.
 */
const NOW = new Date('2031-01-02T03:04:05.006Z');
const UNTIL = new Date('2031-01-02T03:14:05.006Z');
const LONG_AGO = new Date('2001-01-01T00:00:00.000Z');

interface Statement {
  doc: string;
  /** Which of the statements sent is documented: by default the first that changes data. */
  pick?: RegExp;
  /** Runs the statement; returns the names of its parameter values. */
  run(): Promise<Record<string, unknown>>;
}

describe('SQL quoted in the docs', () => {
  let h: ServiceHarness;
  const sent: Array<{ query: string; params: unknown[] }> = [];
  let env: string;
  let user: string;

  beforeAll(async () => {
    h = await serviceHarness(MfaModule, {}, { onQuery: (query, params) => sent.push({ query, params }) });
    env = (await h.environment()).environmentId;
    user = (await h.user(env)).id;
  });
  afterAll(async () => h.close());

  const accounts = () => h.get(AccountRepository);
  const inTransaction = <T>(work: () => Promise<T>) => h.get(TransactionHost).run(work);

  const statements: Record<string, Statement> = {
    'mfa.claimTimeStep': {
      doc: 'docs/mfa.md',
      run: async () => {
        const device = randomUUID();
        await h.get(MfaDevicesRepository).claimTimeStep(device, 123_456);
        return { device, step: '123456' };
      },
    },
    'account.clearMfaFailures': {
      doc: 'docs/mfa.md',
      run: async () => {
        await accounts().clearMfaFailures(env, user, NOW);
        return { env, user, now: NOW };
      },
    },
    'account.recordMfaFailure': {
      doc: 'docs/mfa.md',
      run: async () => {
        await inTransaction(() => accounts().recordMfaFailure(env, user, 7, UNTIL, NOW));
        return { env, user, now: NOW, until: UNTIL, limit: 7 };
      },
    },
    'users.list.count': {
      doc: 'docs/user-filters.md',
      pick: /^\s*SELECT count/,
      run: async () => {
        const filter = parseFilter('email eq "Ann@Example.com" and (username sw "an_" or name.family sw "Berg")', USER_FILTER_SCHEMA);
        await h.get(UsersRepository).list(env, filter, 100);
        return { env, email: 'Ann@Example.com', username: 'an\\_', family: 'Berg' };
      },
    },
    'account.releaseExpired': {
      doc: 'docs/sweeper.md',
      // Long ago, so that on the shared test database it releases nothing of other suites.
      run: async () => {
        await inTransaction(() => accounts().releaseExpired(LONG_AGO, 250));
        return { now: LONG_AGO, batch: 250 };
      },
    },
  };

  /** The statement as sent, with `$name` for each positional parameter and the template's indentation removed. */
  async function render(statement: Statement): Promise<string> {
    sent.length = 0;
    const names = await statement.run();
    const byValue = new Map(Object.entries(names).map(([name, value]) => [JSON.stringify(value), name]));
    const [found] = sent.filter((s) => (statement.pick ?? /^\s*(UPDATE|WITH|INSERT|DELETE)\b/).test(s.query));
    if (!found) throw new Error('no statement was sent');
    const named = found.query.replace(/\$(\d+)/g, (_, i: string) => {
      const name = byValue.get(JSON.stringify(found.params[Number(i) - 1]));
      if (!name) throw new Error(`parameter $${i} (${JSON.stringify(found.params[Number(i) - 1])}) has no name`);
      return `$${name}`;
    });
    const lines = named.split('\n').filter((line) => line.trim() !== '');
    const indent = Math.min(...lines.slice(1).map((line) => line.match(/^ */)?.[0].length ?? 0));
    return [lines[0]?.trim(), ...lines.slice(1).map((line) => line.slice(indent).trimEnd())].join('\n');
  }

  const block = (name: string) => new RegExp(`(<!-- sql: ${name.replace('.', '\\.')} -->\\n+( *)\`\`\`sql\\n)([\\s\\S]*?)(\\n *\`\`\`)`);
  const flat = (sql: string) => sql.replace(/\s+/g, ' ').trim();

  it.each(Object.keys(statements))('%s', async (name) => {
    const statement = statements[name];
    const path = new URL(`../../${statement.doc}`, import.meta.url);
    const doc = readFileSync(path, 'utf8');
    const match = block(name).exec(doc);
    if (!match) throw new Error(`${statement.doc} has no sql block marked "${name}"`);
    const actual = await render(statement);
    if (process.env.UPDATE_DOCUMENTED_SQL === '1') {
      const indent = match[2] ?? '';
      const body = actual
        .split('\n')
        .map((line) => indent + line)
        .join('\n');
      writeFileSync(
        path,
        doc.replace(block(name), (_all, head: string, _i, _old, tail: string) => `${head}${body}${tail}`),
      );
      return;
    }
    expect(flat(match[3] ?? '')).toBe(flat(actual));
  });
});
