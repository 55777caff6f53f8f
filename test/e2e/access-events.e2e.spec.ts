import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { roleByName } from '../../src/common/authorization/roles.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { BASE_URL, createEnvironment, startApp, type TestApp, type TestEnvironment } from '../support/test-app.js';

/** Changes to access are state changes too: each records one event, and no event carries a secret. */
describe('events of applications and role assignments', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
  });
  afterAll(async () => t.close());

  const e = () => `/v1/environments/${env.environmentId}`;
  const call = (req: ReturnType<Api['get']>) =>
    req.set('Content-Type', MediaTypes.JSON).set('X-Ping-External-Transaction-ID', 'access-events');
  const eventsOf = async (resourceId: string) =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, resourceId)).map((row) => row.payload);

  it('records the bootstrap: its worker created and made Environment Admin, with one correlation id and no actor', async () => {
    const rows = (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId)).slice(0, 2).map((r) => r.payload);
    expect(rows.map((a) => a.action.type)).toEqual(['APPLICATION.CREATED', 'ROLE_ASSIGNMENT.CREATED']);
    expect(rows[0]?.resources[0]?.id).toBe(env.clientId);
    expect(rows[1]?.resources[0]?.name).toBe(`Environment Admin over ENVIRONMENT ${env.environmentId}`);
    expect(rows[0]?.correlationId).toBe(rows[1]?.correlationId);
    expect(rows.map((a) => a.actors)).toEqual([{}, {}]);
  });

  it('records an application created, its secret rotated, updated and deleted: once each, without the secret', async () => {
    const created = await call(api.post(`${e()}/applications`))
      .send({ name: 'Audited', type: 'WORKER', protocol: 'OPENID_CONNECT' })
      .expect(201);
    const id = created.body.id as string;
    const first = await call(api.get(`${e()}/applications/${id}/secret`)).expect(200);
    const rotated = await call(api.post(`${e()}/applications/${id}/secret`))
      .send({})
      .expect(200);
    await call(api.put(`${e()}/applications/${id}`))
      .send({ name: 'Audited', type: 'WORKER', protocol: 'OPENID_CONNECT', enabled: false })
      .expect(200);
    await call(api.delete(`${e()}/applications/${id}`)).expect(204);
    await call(api.delete(`${e()}/applications/${id}`)).expect(404);

    const events = await eventsOf(id);
    expect(events.map((a) => a.action.type)).toEqual([
      'APPLICATION.CREATED',
      'APPLICATION.UPDATED',
      'APPLICATION.UPDATED',
      'APPLICATION.DELETED',
    ]);
    expect(events[0]).toMatchObject({
      correlationId: 'access-events',
      actors: { client: { id: env.clientId, type: 'CLIENT' } },
      resources: [
        { id, name: 'Audited', type: 'APPLICATION', href: `${BASE_URL}${e()}/applications/${id}`, environment: { id: env.environmentId } },
      ],
      result: { status: 'SUCCESS' },
    });
    expect(events[1]?.result.description).toMatch(/^Secret rotated; the previous one works until /);
    const all = JSON.stringify((await t.app.get(OutboxRepository).listForEnvironment(env.environmentId)).map((row) => row.payload));
    for (const secret of [first.body.secret, rotated.body.secret, env.clientSecret]) expect(all).not.toContain(secret);
  });

  it('records a role assignment created and deleted, naming the role and scope', async () => {
    const user = await call(api.post(`${e()}/users`))
      .send({ username: 'audited-user@example.com' })
      .expect(201);
    const path = `${e()}/users/${user.body.id}/roleAssignments`;
    const roleId = roleByName('Identity Data Read Only')?.id;
    const created = await call(api.post(path))
      .send({ role: { id: roleId }, scope: { type: 'ENVIRONMENT', id: env.environmentId } })
      .expect(201);
    await call(api.delete(`${path}/${created.body.id}`)).expect(204);

    const events = await eventsOf(created.body.id);
    expect(events.map((a) => a.action.type)).toEqual(['ROLE_ASSIGNMENT.CREATED', 'ROLE_ASSIGNMENT.DELETED']);
    expect(events[0]?.resources[0]).toEqual({
      id: created.body.id,
      name: `Identity Data Read Only over ENVIRONMENT ${env.environmentId}`,
      type: 'ROLE_ASSIGNMENT',
      href: `${BASE_URL}${path}/${created.body.id}`,
      environment: { id: env.environmentId },
    });
    expect(events[1]?.result.description).toBe(
      `Identity Data Read Only over ENVIRONMENT ${env.environmentId} removed from user ${user.body.id}`,
    );
  });

  it('records nothing for a refused assignment', async () => {
    const before = (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId)).length;
    const user = await call(api.post(`${e()}/users`))
      .send({ username: 'refused@example.com' })
      .expect(201);
    await call(api.post(`${e()}/users/${user.body.id}/roleAssignments`))
      .send({ role: { id: roleByName('Environment Admin')?.id }, scope: { type: 'POPULATION', id: env.populationId } })
      .expect(400);
    const types = (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId)).slice(before).map((r) => r.type);
    expect(types).toEqual(['USER.CREATED']);
  });
});
