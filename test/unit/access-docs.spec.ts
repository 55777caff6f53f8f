import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ALL_PERMISSIONS } from '../../src/common/authorization/permissions.js';
import { ROLES } from '../../src/common/authorization/roles.js';

/** docs/access.md's table of permissions must say what src/access/roles.ts does. */
describe('docs/access.md', () => {
  const doc = readFileSync(new URL('../../docs/access.md', import.meta.url), 'utf8');

  it('lists every permission, with a tick exactly where a built-in role holds it', () => {
    const header = doc.split('\n').find((line) => line.startsWith('| Permission |'));
    expect(header).toBe(`| Permission | What it allows | ${ROLES.map((r) => r.name).join(' | ')} |`);
    const documented = new Map(
      doc
        .split('\n')
        .filter((line) => /^\| `[a-zA-Z_]+:[a-zA-Z]+:[a-zA-Z]+` \|/.test(line))
        .map((line) => {
          const cells = line
            .split('|')
            .slice(1, -1)
            .map((c) => c.trim());
          return [cells[0]?.replace(/`/g, ''), cells.slice(2).map((c) => c === '✓')] as const;
        }),
    );
    expect([...documented.keys()].sort()).toEqual([...ALL_PERMISSIONS].sort());
    for (const permission of ALL_PERMISSIONS) {
      expect({ permission, held: documented.get(permission) }).toEqual({
        permission,
        held: ROLES.map((r) => r.permissions.has(permission)),
      });
    }
  });

  it('names the fixed role ids', () => {
    for (const role of ROLES) expect(doc).toContain(role.id.slice(-3));
    expect(doc).toContain(ROLES[0]?.id);
  });
});
