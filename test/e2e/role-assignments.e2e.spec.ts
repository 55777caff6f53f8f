import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { roleByName } from '../../src/common/authorization/roles.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import {
  createEnvironment,
  createPopulation,
  createUser,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
  usersPath,
  usesEmbeddedDatabase,
} from '../support/test-app.js';

const roleId = (name: string) => roleByName(name)?.id as string;
const forbidden = { code: 'ACCESS_FAILED', details: [expect.objectContaining({ code: 'INSUFFICIENT_PERMISSIONS' })] };

describe('roles and role assignments', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;
  let popA: string;
  let popB: string;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
    popA = await createPopulation(t, env, 'A');
    popB = await createPopulation(t, env, 'B');
  });
  afterAll(async () => t.close());

  const appAssignments = (appId: string) => `/v1/environments/${env.environmentId}/applications/${appId}/roleAssignments`;
  const userAssignments = (userId: string) => `${usersPath(env)}/${userId}/roleAssignments`;
  const assign = (path: string, token: string, body: object) => t.as(token).post(path).set('Content-Type', MediaTypes.JSON).send(body);

  describe('GET /v1/roles', () => {
    it('lists the three built-in roles with their permissions and scopes', async () => {
      const { body } = await api.get('/v1/roles').expect(200);
      expect(body.count).toBe(3);
      const byName = Object.fromEntries(body._embedded.roles.map((r: { name: string }) => [r.name, r]));
      expect(Object.keys(byName).sort()).toEqual(['Environment Admin', 'Identity Data Admin', 'Identity Data Read Only']);
      expect(byName['Identity Data Read Only'].applicableTo).toEqual(['ENVIRONMENT', 'POPULATION']);
      expect(byName['Identity Data Admin'].permissions).toContainEqual({ id: 'users:unlock:user', description: expect.any(String) });
      expect(byName['Identity Data Read Only'].permissions).not.toContainEqual(expect.objectContaining({ id: 'users:update:user' }));
    });

    it('reads one role, and 404 for an unknown id', async () => {
      const id = roleId('Identity Data Admin');
      const { body } = await api.get(`/v1/roles/${id}`).expect(200);
      expect(body).toMatchObject({ id, name: 'Identity Data Admin', _links: { self: { href: `http://localhost:3000/v1/roles/${id}` } } });
      await api.get('/v1/roles/6c7b6a44-1111-4111-8111-111111111111').expect(404);
    });

    it('is readable by a population-scoped reader too', async () => {
      const reader = await createWorker(t, env, [{ role: 'Identity Data Read Only', scope: { type: 'POPULATION', id: popA } }]);
      await t.as(reader.token).get('/v1/roles').expect(200);
    });
  });

  describe('application role assignments', () => {
    it('grants a role: the application can then do what the role allows, and nothing more', async () => {
      const worker = await createWorker(t, env, []);
      await t.as(worker.token).get(usersPath(env)).expect(403);
      const created = await assign(appAssignments(worker.clientId), env.token, {
        role: { id: roleId('Identity Data Read Only') },
        scope: { type: 'ENVIRONMENT', id: env.environmentId },
      }).expect(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        environment: { id: env.environmentId },
        role: { id: roleId('Identity Data Read Only') },
        scope: { type: 'ENVIRONMENT', id: env.environmentId },
        readOnly: false,
      });
      expect(created.body._links.self.href).toBe(`http://localhost:3000${appAssignments(worker.clientId)}/${created.body.id}`);
      // The cached (empty) grants were dropped by the assignment: no wait needed on this instance.
      await t.as(worker.token).get(usersPath(env)).expect(200);
      const refused = await t
        .as(worker.token)
        .post(usersPath(env))
        .set('Content-Type', MediaTypes.JSON)
        .send({ username: 'nope@example.com' })
        .expect(403);
      expect(refused.body).toMatchObject(forbidden);

      const list = await api.get(appAssignments(worker.clientId)).expect(200);
      expect(list.body._embedded.roleAssignments.map((a: { id: string }) => a.id)).toEqual([created.body.id]);
      await api.get(`${appAssignments(worker.clientId)}/${created.body.id}`).expect(200);
    });

    it('revoking takes effect at once on this instance', async () => {
      const worker = await createWorker(t, env, [{ role: 'Identity Data Read Only' }]);
      await t.as(worker.token).get(usersPath(env)).expect(200);
      const { body } = await api.get(appAssignments(worker.clientId)).expect(200);
      await api.delete(`${appAssignments(worker.clientId)}/${body._embedded.roleAssignments[0].id}`).expect(204);
      await t.as(worker.token).get(usersPath(env)).expect(403);
      await api.get(`${appAssignments(worker.clientId)}/${body._embedded.roleAssignments[0].id}`).expect(404);
    });

    it('refuses a duplicate with the existing assignment id', async () => {
      const worker = await createWorker(t, env, [{ role: 'Identity Data Read Only' }]);
      const { body } = await api.get(appAssignments(worker.clientId)).expect(200);
      const duplicate = await assign(appAssignments(worker.clientId), env.token, {
        role: { id: roleId('Identity Data Read Only') },
        scope: { type: 'ENVIRONMENT', id: env.environmentId },
      }).expect(400);
      expect(duplicate.body).toMatchObject({
        code: 'INVALID_DATA',
        details: [{ code: 'UNIQUENESS_VIOLATION', innerError: { existingId: body._embedded.roleAssignments[0].id } }],
      });
    });

    it('records one assignment when the same grant is posted many times at once', async () => {
      const worker = await createWorker(t, env, []);
      const body = { role: { id: roleId('Identity Data Admin') }, scope: { type: 'POPULATION', id: popA } };
      const responses = await Promise.all(Array.from({ length: 10 }, () => assign(appAssignments(worker.clientId), env.token, body)));
      expect(responses.map((r) => r.status).sort()).toEqual([201, ...Array<number>(9).fill(400)]);
      const { body: list } = await api.get(appAssignments(worker.clientId)).expect(200);
      expect(list.count).toBe(1);
    });

    it.each([
      [
        'an unknown role',
        'role.id',
        () => ({ role: { id: '6c7b6a44-1111-4111-8111-111111111111' }, scope: { type: 'ENVIRONMENT', id: env.environmentId } }),
      ],
      [
        'Environment Admin over a population',
        'scope.type',
        () => ({ role: { id: roleId('Environment Admin') }, scope: { type: 'POPULATION', id: popA } }),
      ],
      [
        'another environment as scope',
        'scope.id',
        () => ({ role: { id: roleId('Identity Data Admin') }, scope: { type: 'ENVIRONMENT', id: '6c7b6a44-2222-4222-8222-222222222222' } }),
      ],
      [
        'a population of no such id',
        'scope.id',
        () => ({ role: { id: roleId('Identity Data Admin') }, scope: { type: 'POPULATION', id: '6c7b6a44-3333-4333-8333-333333333333' } }),
      ],
      [
        'a scope type PingOne does not know',
        'scope.type',
        () => ({ role: { id: roleId('Identity Data Admin') }, scope: { type: 'ORGANIZATION', id: env.environmentId } }),
      ],
    ])('refuses %s with 400 naming %s', async (_, target, body) => {
      const worker = await createWorker(t, env, []);
      const response = await assign(appAssignments(worker.clientId), env.token, body()).expect(400);
      expect(response.body).toMatchObject({ code: 'INVALID_DATA', details: [expect.objectContaining({ target })] });
      const { body: list } = await api.get(appAssignments(worker.clientId)).expect(200);
      expect(list.count).toBe(0);
    });

    it('404 for an application of no such id', async () => {
      await assign(appAssignments('6c7b6a44-4444-4444-8444-444444444444'), env.token, {
        role: { id: roleId('Identity Data Admin') },
        scope: { type: 'ENVIRONMENT', id: env.environmentId },
      }).expect(404);
    });

    it('an application cannot remove its own assignments', async () => {
      const { body } = await api.get(appAssignments(env.clientId)).expect(200);
      const response = await api.delete(`${appAssignments(env.clientId)}/${body._embedded.roleAssignments[0].id}`).expect(400);
      expect(response.body).toMatchObject({ code: 'REQUEST_FAILED' });
      // Its id in capitals names the same application.
      await api.delete(`${appAssignments(env.clientId.toUpperCase())}/${body._embedded.roleAssignments[0].id}`).expect(400);
      await api.get(usersPath(env)).expect(200);
    });

    it('an Identity Data Admin cannot assign roles to applications at all', async () => {
      const idAdmin = await createWorker(t, env, [{ role: 'Identity Data Admin' }]);
      const target = await createWorker(t, env, []);
      await assign(appAssignments(target.clientId), idAdmin.token, {
        role: { id: roleId('Identity Data Read Only') },
        scope: { type: 'ENVIRONMENT', id: env.environmentId },
      }).expect(403);
    });
  });

  describe('population scope', () => {
    let popAdmin: { token: string; clientId: string };
    let inA: Record<string, any>;
    let inB: Record<string, any>;

    beforeAll(async () => {
      popAdmin = await createWorker(t, env, [{ role: 'Identity Data Admin', scope: { type: 'POPULATION', id: popA } }]);
      inA = await createUser(t, env, { username: 'in-a@example.com', population: { id: popA } });
      inB = await createUser(t, env, { username: 'in-b@example.com', population: { id: popB } });
    });

    it('lists only the users of its populations', async () => {
      const { body } = await t.as(popAdmin.token).get(usersPath(env)).expect(200);
      const populations = new Set(body._embedded.users.map((u: { population: { id: string } }) => u.population.id));
      expect([...populations]).toEqual([popA]);
      expect(body._embedded.users.map((u: { id: string }) => u.id)).toContain(inA.id);
      expect(body.count).toBe(body._embedded.users.length);
      const all = await api.get(usersPath(env)).expect(200);
      expect(all.body.count).toBeGreaterThan(body.count);
    });

    it('reads and unlocks a user of its population, and gets 404 for another population, as for a missing user', async () => {
      await t
        .as(popAdmin.token)
        .get(`${usersPath(env)}/${inA.id}`)
        .expect(200);
      await t
        .as(popAdmin.token)
        .post(`${usersPath(env)}/${inA.id}`)
        .set('Content-Type', MediaTypes.ACCOUNT_UNLOCK)
        .expect(200);
      const read = await t
        .as(popAdmin.token)
        .get(`${usersPath(env)}/${inB.id}`)
        .expect(404);
      expect(read.body).toMatchObject({ code: 'NOT_FOUND' });
      await t
        .as(popAdmin.token)
        .post(`${usersPath(env)}/${inB.id}`)
        .set('Content-Type', MediaTypes.ACCOUNT_UNLOCK)
        .expect(404);
      await t
        .as(popAdmin.token)
        .delete(`${usersPath(env)}/${inB.id}`)
        .expect(404);
      await api.get(`${usersPath(env)}/${inB.id}`).expect(200);
    });

    it('creates users in its population only (the default population is not its own)', async () => {
      const json = (body: object) => t.as(popAdmin.token).post(usersPath(env)).set('Content-Type', MediaTypes.JSON).send(body);
      await json({ username: 'new-a@example.com', population: { id: popA } }).expect(201);
      await json({ username: 'new-b@example.com', population: { id: popB } }).expect(403);
      await json({ username: 'new-default@example.com' }).expect(403);
    });

    it('cannot move a user out of its reach', async () => {
      const moved = await t
        .as(popAdmin.token)
        .patch(`${usersPath(env)}/${inA.id}`)
        .set('Content-Type', MediaTypes.JSON)
        .send({ population: { id: popB } })
        .expect(403);
      expect(moved.body).toMatchObject(forbidden);
      const { body } = await api.get(`${usersPath(env)}/${inA.id}`).expect(200);
      expect(body.population.id).toBe(popA);
    });

    it('cannot read environment-wide settings', async () => {
      await t.as(popAdmin.token).get(`/v1/environments/${env.environmentId}/passwordPolicies`).expect(403);
      await t.as(popAdmin.token).get(`/v1/environments/${env.environmentId}/populations`).expect(403);
      await t.as(popAdmin.token).get(`/v1/environments/${env.environmentId}/populations/${popA}`).expect(200);
      await t.as(popAdmin.token).get(`/v1/environments/${env.environmentId}/populations/${popB}`).expect(403);
    });

    describe('user role assignments (no escalation)', () => {
      it('grants identity roles over its own population to its users', async () => {
        const response = await assign(userAssignments(inA.id), popAdmin.token, {
          role: { id: roleId('Identity Data Read Only') },
          scope: { type: 'POPULATION', id: popA },
        }).expect(201);
        expect(response.body._links.user.href).toBe(`http://localhost:3000${usersPath(env)}/${inA.id}`);
        const { body } = await t.as(popAdmin.token).get(userAssignments(inA.id)).expect(200);
        expect(body.count).toBe(1);
        await t
          .as(popAdmin.token)
          .delete(`${userAssignments(inA.id)}/${response.body.id}`)
          .expect(204);
      });

      it.each([
        [
          'Environment Admin over the environment',
          () => ({ role: { id: roleId('Environment Admin') }, scope: { type: 'ENVIRONMENT', id: env.environmentId } }),
        ],
        [
          'Identity Data Admin over the environment',
          () => ({ role: { id: roleId('Identity Data Admin') }, scope: { type: 'ENVIRONMENT', id: env.environmentId } }),
        ],
        [
          'Identity Data Admin over another population',
          () => ({ role: { id: roleId('Identity Data Admin') }, scope: { type: 'POPULATION', id: popB } }),
        ],
      ])('refuses to grant %s (403)', async (_, body) => {
        const response = await assign(userAssignments(inA.id), popAdmin.token, body()).expect(403);
        expect(response.body).toMatchObject(forbidden);
        const { body: list } = await api.get(userAssignments(inA.id)).expect(200);
        expect(list.count).toBe(0);
      });

      it('cannot remove a grant wider than its own', async () => {
        const wide = await assign(userAssignments(inA.id), env.token, {
          role: { id: roleId('Identity Data Admin') },
          scope: { type: 'ENVIRONMENT', id: env.environmentId },
        }).expect(201);
        await t
          .as(popAdmin.token)
          .delete(`${userAssignments(inA.id)}/${wide.body.id}`)
          .expect(403);
        await api.delete(`${userAssignments(inA.id)}/${wide.body.id}`).expect(204);
      });

      it('cannot touch the assignments of a user of another population (404, as for a missing user)', async () => {
        await t.as(popAdmin.token).get(userAssignments(inB.id)).expect(404);
      });
    });
  });
});

// Several instances share one database only on Postgres; the embedded database belongs to one process.
(usesEmbeddedDatabase() ? describe.skip : describe)('permission caches across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let env: TestEnvironment;

  beforeAll(async () => {
    a = await startApp();
    // A cache that would keep stale grants for a minute: only the change notification can clear it.
    b = await startApp({ permissionCacheTtlMs: 60_000 });
    env = await createEnvironment(a);
  });
  afterAll(async () => Promise.all([a.close(), b.close()]));

  const assignmentsOf = (appId: string) => `/v1/environments/${env.environmentId}/applications/${appId}/roleAssignments`;

  /** Polls instance b until it answers `status`, for at most two seconds. */
  async function eventually(token: string, status: number): Promise<number> {
    const deadline = Date.now() + 2000;
    let last = 0;
    while (Date.now() < deadline) {
      last = (await b.as(token).get(usersPath(env))).status;
      if (last === status) return last;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return last;
  }

  it('a revocation through another instance reaches this one when it commits, long before its cache expires', async () => {
    const worker = await createWorker(a, env, [{ role: 'Identity Data Read Only' }]);
    await b.as(worker.token).get(usersPath(env)).expect(200);
    const { body } = await a.as(env.token).get(assignmentsOf(worker.clientId)).expect(200);
    await a
      .as(env.token)
      .delete(`${assignmentsOf(worker.clientId)}/${body._embedded.roleAssignments[0].id}`)
      .expect(204);
    expect(await eventually(worker.token, 403)).toBe(403);
  });

  it('a grant made by SQL outside the service is noticed too (the database announces it)', async () => {
    const worker = await createWorker(a, env, []);
    await b.as(worker.token).get(usersPath(env)).expect(403);
    await a.app.get(PrismaService).$executeRaw`
      INSERT INTO "RoleAssignment" ("id", "environmentId", "applicationId", "roleId", "scopeType", "scopeId")
      VALUES (${randomUUID()}::uuid, ${env.environmentId}::uuid, ${worker.clientId}::uuid, ${roleId('Identity Data Read Only')}::uuid, 'ENVIRONMENT', ${env.environmentId}::uuid)`;
    expect(await eventually(worker.token, 200)).toBe(200);
  });

  it('disabling an application by SQL takes its access away on every instance', async () => {
    const worker = await createWorker(a, env, [{ role: 'Identity Data Read Only' }]);
    await b.as(worker.token).get(usersPath(env)).expect(200);
    await a.app.get(PrismaService).$executeRaw`UPDATE "Application" SET "enabled" = false WHERE "id" = ${worker.clientId}::uuid`;
    expect(await eventually(worker.token, 403)).toBe(403);
  });
});
