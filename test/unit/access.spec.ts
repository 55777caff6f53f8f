import { describe, expect, it } from '@jest/globals';
import { Access, type Grant } from '../../src/common/authorization/access.js';
import { ALL_PERMISSIONS, Permissions } from '../../src/common/authorization/permissions.js';
import { ROLES, roleByName } from '../../src/common/authorization/roles.js';

const ENV = '11111111-1111-4111-8111-111111111111';
const OTHER_ENV = '22222222-2222-4222-8222-222222222222';
const POP_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const POP_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

const role = (name: string) => {
  const found = roleByName(name);
  if (!found) throw new Error(name);
  return found;
};
const grant = (name: string, type: 'ENVIRONMENT' | 'POPULATION', id: string): Grant => ({ roleId: role(name).id, scope: { type, id } });

describe('built-in roles', () => {
  it('Environment Admin holds every permission; the others are strict subsets', () => {
    expect([...role('Environment Admin').permissions].sort()).toEqual([...ALL_PERMISSIONS].sort());
    const admin = role('Identity Data Admin').permissions;
    const readOnly = role('Identity Data Read Only').permissions;
    expect([...readOnly].every((p) => admin.has(p))).toBe(true);
    expect(admin.size).toBeGreaterThan(readOnly.size);
    expect(admin.has(Permissions.READ_APPLICATION_SECRET)).toBe(false);
  });

  it('the read-only role has no permission that changes anything', () => {
    const changes = [...role('Identity Data Read Only').permissions].filter((p) => !p.split(':')[1]?.startsWith('read'));
    expect(changes).toEqual([]);
  });

  it('have distinct ids and names', () => {
    expect(new Set(ROLES.map((r) => r.id)).size).toBe(ROLES.length);
    expect(new Set(ROLES.map((r) => r.name)).size).toBe(ROLES.length);
  });
});

describe('Access', () => {
  it('reaches the environment through an ENVIRONMENT grant', () => {
    const access = new Access(ENV, [grant('Identity Data Read Only', 'ENVIRONMENT', ENV)]);
    expect(access.reach(Permissions.READ_USER)).toEqual({ kind: 'environment' });
    expect(access.reach(Permissions.UPDATE_USER)).toEqual({ kind: 'none' });
  });

  it('ignores an ENVIRONMENT grant over another environment', () => {
    const access = new Access(ENV, [grant('Environment Admin', 'ENVIRONMENT', OTHER_ENV)]);
    expect(access.reach(Permissions.READ_USER)).toEqual({ kind: 'none' });
  });

  it('collects the populations of POPULATION grants', () => {
    const access = new Access(ENV, [
      grant('Identity Data Admin', 'POPULATION', POP_A),
      grant('Identity Data Read Only', 'POPULATION', POP_B),
    ]);
    const read = access.reach(Permissions.READ_USER);
    expect(read.kind === 'populations' && [...read.populationIds].sort()).toEqual([POP_A, POP_B]);
    expect(access.allows(Permissions.UNLOCK_USER, POP_A)).toBe(true);
    expect(access.allows(Permissions.UNLOCK_USER, POP_B)).toBe(false);
  });

  describe('covers (no escalation)', () => {
    const envAdmin = new Access(ENV, [grant('Environment Admin', 'ENVIRONMENT', ENV)]);
    const popAdmin = new Access(ENV, [grant('Identity Data Admin', 'POPULATION', POP_A)]);
    const reader = new Access(ENV, [grant('Identity Data Read Only', 'ENVIRONMENT', ENV)]);

    it('an Environment Admin can grant every role anywhere in its environment', () => {
      for (const r of ROLES) {
        expect(envAdmin.covers(r, { type: 'ENVIRONMENT', id: ENV })).toBe(true);
        expect(envAdmin.covers(r, { type: 'POPULATION', id: POP_B })).toBe(true);
      }
    });

    it('a population admin grants identity roles over its population only', () => {
      expect(popAdmin.covers(role('Identity Data Admin'), { type: 'POPULATION', id: POP_A })).toBe(true);
      expect(popAdmin.covers(role('Identity Data Read Only'), { type: 'POPULATION', id: POP_A })).toBe(true);
      expect(popAdmin.covers(role('Identity Data Admin'), { type: 'POPULATION', id: POP_B })).toBe(false);
      expect(popAdmin.covers(role('Identity Data Read Only'), { type: 'ENVIRONMENT', id: ENV })).toBe(false);
      expect(popAdmin.covers(role('Environment Admin'), { type: 'POPULATION', id: POP_A })).toBe(false);
    });

    it('a reader grants only what it reads, and never a writer role', () => {
      expect(reader.covers(role('Identity Data Read Only'), { type: 'ENVIRONMENT', id: ENV })).toBe(true);
      expect(reader.covers(role('Identity Data Admin'), { type: 'POPULATION', id: POP_A })).toBe(false);
    });
  });
});
