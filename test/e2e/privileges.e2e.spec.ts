import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOTP, Secret } from 'otpauth';
import { roleByName } from '../../src/common/authorization/roles.js';
import { MediaTypes as M } from '../../src/common/http/media-types.js';
import { RouteCatalog } from '../../src/common/http/route-catalog.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import type { Api } from '../support/api.js';
import { GOOD_PASSWORD } from '../support/passwords.js';
import {
  createEnvironment,
  createPopulation,
  createUser,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
  type TestWorker,
} from '../support/test-app.js';

/**
 * Privilege edges: a population-scoped admin may not act on a more privileged user of its own
 * population, and learns nothing about users of other populations.
 */
describe('privileges: covering the target, and nothing learnt outside the reach', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let admin: Api;
  let popA: string;
  let popB: string;
  let scoped: TestWorker;
  let n = 0;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    admin = t.as(env.token);
    popA = await createPopulation(t, env, 'A');
    popB = await createPopulation(t, env, 'B');
    scoped = await createWorker(t, env, [{ role: 'Identity Data Admin', scope: { type: 'POPULATION', id: popA } }]);
  });
  afterAll(() => t.close());

  const e = () => `/v1/environments/${env.environmentId}`;
  const json = (value: unknown) => JSON.stringify(value);
  const unique = (prefix: string) => `${prefix}-${++n}@example.com`;
  const assign = async (userId: string, role: string, scope: { type: 'ENVIRONMENT' | 'POPULATION'; id: string }) =>
    admin
      .post(`${e()}/users/${userId}/roleAssignments`)
      .set('Content-Type', M.JSON)
      .send(json({ role: { id: roleByName(role)?.id }, scope }))
      .expect(201);
  /** A user of population A with a password and a device, holding `role` (if any). */
  const userInA = async (role?: { name: string; scope: { type: 'ENVIRONMENT' | 'POPULATION'; id: string } }) => {
    const user = await createUser(t, env, { username: unique('a'), population: { id: popA } });
    const id = user.id as string;
    await admin
      .put(`${e()}/users/${id}/password`)
      .set('Content-Type', M.PASSWORD_SET)
      .send(json({ value: GOOD_PASSWORD }))
      .expect(200);
    const device = await admin
      .post(`${e()}/users/${id}/devices`)
      .set('Content-Type', M.JSON)
      .send(json({ type: 'TOTP' }))
      .expect(201);
    if (role) await assign(id, role.name, role.scope);
    return { id, username: user.username as string, deviceId: device.body.id as string, secret: device.body.secret as string };
  };

  /** Every write to a user, each as the scoped admin would send it. */
  const writes = (u: { id: string; username: string; deviceId: string; secret: string }) => {
    const api = t.as(scoped.token);
    const user = `${e()}/users/${u.id}`;
    return {
      'replace (username)': () =>
        api
          .put(user)
          .set('Content-Type', M.JSON)
          .send(json({ username: unique('taken-over') })),
      'patch username': () =>
        api
          .patch(user)
          .set('Content-Type', M.JSON)
          .send(json({ username: unique('taken-over') })),
      'patch externalId': () =>
        api
          .patch(user)
          .set('Content-Type', M.JSON)
          .send(json({ externalId: 'attacker' })),
      'patch mfaEnabled': () =>
        api
          .patch(user)
          .set('Content-Type', M.JSON)
          .send(json({ mfaEnabled: true })),
      disable: () =>
        api
          .put(`${user}/enabled`)
          .set('Content-Type', M.JSON)
          .send(json({ enabled: false })),
      lock: () => api.post(user).set('Content-Type', M.ACCOUNT_LOCK),
      unlock: () => api.post(user).set('Content-Type', M.ACCOUNT_UNLOCK),
      'password set': () =>
        api
          .put(`${user}/password`)
          .set('Content-Type', M.PASSWORD_SET)
          .send(json({ value: 'Attacker-Chosen-9-Pass' })),
      'password reset': () =>
        api
          .put(`${user}/password`)
          .set('Content-Type', M.PASSWORD_RESET)
          .send(json({ newPassword: 'Attacker-Chosen-9-Pass' })),
      'password check': () =>
        api
          .post(`${user}/password`)
          .set('Content-Type', M.PASSWORD_CHECK)
          .send(json({ password: GOOD_PASSWORD })),
      'password unlock': () => api.post(`${user}/password`).set('Content-Type', M.PASSWORD_UNLOCK),
      'password forceChange': () => api.post(`${user}/password`).set('Content-Type', M.PASSWORD_FORCE_CHANGE),
      'device create': () =>
        api
          .post(`${user}/devices`)
          .set('Content-Type', M.JSON)
          .send(json({ type: 'TOTP' })),
      'device check': () =>
        api
          .post(`${user}/devices/${u.deviceId}`)
          .set('Content-Type', M.OTP_CHECK)
          .send(json({ otp: TOTP.generate({ secret: Secret.fromBase32(u.secret) }) })),
      'device delete': () => api.delete(`${user}/devices/${u.deviceId}`),
      'role assignment': () =>
        api
          .post(`${user}/roleAssignments`)
          .set('Content-Type', M.JSON)
          .send(json({ role: { id: roleByName('Identity Data Read Only')?.id }, scope: { type: 'POPULATION', id: popA } })),
      delete: () => api.delete(user),
    };
  };

  it('refuses every write to a user of its own population who holds a role it does not cover, and changes nothing', async () => {
    const target = await userInA({ name: 'Environment Admin', scope: { type: 'ENVIRONMENT', id: env.environmentId } });
    const before = (await admin.get(`${e()}/users/${target.id}`).expect(200)).body;
    const eventsBefore = await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, target.id);
    const outcomes: Record<string, string> = {};
    for (const [write, send] of Object.entries(writes(target))) {
      const response = await send();
      outcomes[write] = `${response.status} ${response.body?.details?.[0]?.code ?? ''}`.trim();
    }
    const refused = Object.fromEntries(Object.keys(outcomes).map((write) => [write, '403 INSUFFICIENT_PERMISSIONS']));
    expect(outcomes).toEqual(refused);
    // Reads stay allowed: the user is in the caller's population.
    await t.as(scoped.token).get(`${e()}/users/${target.id}`).expect(200);
    await t.as(scoped.token).get(`${e()}/users/${target.id}/roleAssignments`).expect(200);
    const after = (await admin.get(`${e()}/users/${target.id}`).expect(200)).body;
    expect(after).toEqual(before);
    const assignments = (await admin.get(`${e()}/users/${target.id}/roleAssignments`).expect(200)).body._embedded.roleAssignments;
    expect(assignments).toHaveLength(1);
    expect(await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, target.id)).toHaveLength(eventsBefore.length);
  });

  it('allows the same writes on a user whose roles it covers, and on a user without roles', async () => {
    const covered = await userInA({ name: 'Identity Data Read Only', scope: { type: 'POPULATION', id: popA } });
    await writes(covered)['patch externalId']().expect(200);
    await writes(covered)['password set']().expect(200);
    await writes(covered)['device delete']().expect(204);
    await writes(covered).delete().expect(204);
    const plain = await userInA();
    await writes(plain)['patch username']().expect(200);
    await writes(plain).lock().expect(200);
    await writes(plain).unlock().expect(200);
  });

  it('lets an Environment Admin write to any user, the privileged ones included', async () => {
    const target = await userInA({ name: 'Environment Admin', scope: { type: 'ENVIRONMENT', id: env.environmentId } });
    await admin
      .patch(`${e()}/users/${target.id}`)
      .set('Content-Type', M.JSON)
      .send(json({ nickname: 'Boss' }))
      .expect(200);
    await admin.post(`${e()}/users/${target.id}`).set('Content-Type', M.ACCOUNT_LOCK).expect(200);
    await admin.post(`${e()}/users/${target.id}`).set('Content-Type', M.ACCOUNT_UNLOCK).expect(200);
  });

  it('answers a user of another population exactly as a user that does not exist, for reads and writes', async () => {
    const inB = await createUser(t, env, { username: unique('b'), population: { id: popB } });
    const missing = '00000000-0000-4000-8000-000000000000';
    const api = t.as(scoped.token);
    for (const [method, suffix, contentType, body] of [
      ['get', '', undefined, undefined],
      ['get', '/password', undefined, undefined],
      ['get', '/devices', undefined, undefined],
      ['patch', '', M.JSON, json({ nickname: 'x' })],
      ['delete', '', undefined, undefined],
      ['post', '', M.ACCOUNT_LOCK, undefined],
      ['post', '/password', M.PASSWORD_CHECK, json({ password: 'guess' })],
    ] as const) {
      const answers = [];
      for (const id of [inB.id as string, missing]) {
        let request = api[method](`${e()}/users/${id}${suffix}`);
        if (contentType) request = request.set('Content-Type', contentType);
        const response = await (body === undefined ? request : request.send(body));
        answers.push({ status: response.status, code: response.body.code, message: response.body.message, details: response.body.details });
      }
      expect(`${method} ${suffix}: ${JSON.stringify(answers[0])}`).toBe(`${method} ${suffix}: ${JSON.stringify(answers[1])}`);
      expect(answers[0]?.status).toBe(404);
    }
  });

  it('answers every user route and sub-route for a user of another population as for a missing id (404, never 403)', async () => {
    const inB = await createUser(t, env, { username: unique('b-all'), population: { id: popB } });
    const device = (
      await admin
        .post(`${e()}/users/${inB.id}/devices`)
        .set('Content-Type', M.JSON)
        .send(json({ type: 'TOTP' }))
        .expect(201)
    ).body;
    const assignment = (await assign(inB.id as string, 'Identity Data Read Only', { type: 'POPULATION', id: popB })).body;
    const missing = '00000000-0000-4000-8000-000000000000';
    const bodies: Record<string, unknown> = {
      [M.PASSWORD_SET]: { value: GOOD_PASSWORD },
      [M.PASSWORD_RESET]: { newPassword: 'Attacker-Chosen-9-Pass' },
      [M.PASSWORD_CHECK]: { password: 'guess' },
      [M.OTP_CHECK]: { otp: '123456' },
      'PUT /v1/environments/:envId/users/:userId': { username: unique('replaced') },
      'PATCH /v1/environments/:envId/users/:userId': { nickname: 'x' },
      'PUT /v1/environments/:envId/users/:userId/enabled': { enabled: false },
      'POST /v1/environments/:envId/users/:userId/devices': { type: 'TOTP' },
      'POST /v1/environments/:envId/users/:userId/roleAssignments': {
        role: { id: roleByName('Identity Data Read Only')?.id },
        scope: { type: 'POPULATION', id: popA },
      },
    };
    const routes = t.app
      .get(RouteCatalog)
      .all()
      .filter((r) => r.path.startsWith('/v1/environments/:envId/users/:userId'));
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const api = t.as(scoped.token);
    for (const { method, path, mediaType } of routes) {
      const route = `${method} ${path}${mediaType ? ` (${mediaType})` : ''}`;
      const answers = [];
      for (const userId of [inB.id as string, missing]) {
        const url = path
          .replace(':envId', env.environmentId)
          .replace(':userId', userId)
          .replace(':deviceId', device.id as string)
          .replace(':assignmentId', assignment.id as string);
        const body = bodies[mediaType ?? ''] ?? bodies[`${method} ${path}`];
        let request = api[method.toLowerCase() as 'get'](url).set('Content-Type', mediaType ?? M.JSON);
        if (body !== undefined) request = request.send(json(body));
        const response = await request;
        answers.push({ status: response.status, code: response.body.code, message: response.body.message, details: response.body.details });
      }
      expect(`${route}: ${JSON.stringify(answers[0])}`).toBe(`${route}: ${JSON.stringify(answers[1])}`);
      expect(`${route}: ${answers[0]?.status}`).toBe(`${route}: 404`);
    }
  });

  it('reports a taken username without the id of a user it cannot reach, and with the id of one it can', async () => {
    const inB = await createUser(t, env, { username: unique('taken-in-b'), population: { id: popB } });
    const inA = await createUser(t, env, { username: unique('taken-in-a'), population: { id: popA } });
    const api = t.as(scoped.token);
    const create = (username: string) =>
      api
        .post(`${e()}/users`)
        .set('Content-Type', M.JSON)
        .send(json({ username, population: { id: popA } }));
    const foreign = await create(inB.username).expect(400);
    expect(foreign.body.details).toEqual([{ code: 'UNIQUENESS_VIOLATION', target: 'username', message: 'username must be unique' }]);
    expect(JSON.stringify(foreign.body)).not.toContain(inB.id);
    const imported = await api
      .post(`${e()}/users`)
      .set('Content-Type', M.USER_IMPORT)
      .send(json({ username: inB.username, population: { id: popA }, password: { value: GOOD_PASSWORD } }))
      .expect(400);
    expect(JSON.stringify(imported.body)).not.toContain(inB.id);
    const own = (await createUser(t, env, { username: unique('renamed'), population: { id: popA } })).id as string;
    const renamed = await api
      .patch(`${e()}/users/${own}`)
      .set('Content-Type', M.JSON)
      .send(json({ username: inB.username }))
      .expect(400);
    expect(JSON.stringify(renamed.body)).not.toContain(inB.id);
    const replaced = await api
      .put(`${e()}/users/${own}`)
      .set('Content-Type', M.JSON)
      .send(json({ username: inB.username, population: { id: popA } }))
      .expect(400);
    expect(replaced.body.details[0].code).toBe('UNIQUENESS_VIOLATION');
    expect(JSON.stringify(replaced.body)).not.toContain(inB.id);
    // Within its reach, and for an environment-wide caller, the existing id is given as before.
    const mine = await create(inA.username).expect(400);
    expect(mine.body.details[0].innerError).toEqual({ existingId: inA.id });
    const byAdmin = await admin
      .post(`${e()}/users`)
      .set('Content-Type', M.JSON)
      .send(json({ username: inB.username }))
      .expect(400);
    expect(byAdmin.body.details[0].innerError).toEqual({ existingId: inB.id });
  });
});
