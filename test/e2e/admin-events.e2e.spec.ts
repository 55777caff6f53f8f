import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import type { Activity } from '../../src/events/event-catalog.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { createEnvironment, createUser, startApp, type TestApp, type TestEnvironment } from '../support/test-app.js';

/**
 * Every administrator's change records its event, in the change's transaction: MFA devices, password
 * policies, MFA settings and populations (users, passwords, applications, role assignments and
 * subscriptions have their own suites). No event carries a secret.
 */
describe('events of MFA devices, password policies, MFA settings and populations', () => {
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
  const json = (req: ReturnType<Api['get']>) =>
    req.set('Content-Type', MediaTypes.JSON).set('X-Ping-External-Transaction-ID', 'admin-events');
  const eventsOf = async (resourceId: string): Promise<Activity[]> =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, resourceId)).map((row) => row.payload);
  const actor = () => ({ client: { id: env.clientId, type: 'CLIENT' } });

  it('records DEVICE.CREATED and DEVICE.DELETED about the user, naming the device and never its secret', async () => {
    const user = await createUser(t, env, { username: 'device-events@example.com' });
    const created = await json(api.post(`${e()}/users/${user.id}/devices`))
      .send({ type: 'TOTP' })
      .expect(201);
    await api
      .delete(`${e()}/users/${user.id}/devices/${created.body.id}`)
      .set('X-Ping-External-Transaction-ID', 'admin-events')
      .expect(204);
    await api.delete(`${e()}/users/${user.id}/devices/${created.body.id}`).expect(404);

    const events = await eventsOf(user.id);
    expect(events.map((a) => a.action.type)).toEqual(['USER.CREATED', 'DEVICE.CREATED', 'DEVICE.DELETED']);
    for (const event of events.slice(1)) {
      expect(event).toMatchObject({
        correlationId: 'admin-events',
        actors: actor(),
        resources: [{ id: user.id, type: 'USER', name: 'device-events@example.com', population: { id: user.population.id } }],
      });
      expect(event.result.description).toContain(created.body.id);
      expect(JSON.stringify(event)).not.toContain(created.body.secret);
    }
  });

  it('records PASSWORD_POLICY.CREATED, .UPDATED and .DELETED, once each', async () => {
    const created = await json(api.post(`${e()}/passwordPolicies`))
      .send({ name: 'Audited policy' })
      .expect(201);
    const id = created.body.id as string;
    await json(api.put(`${e()}/passwordPolicies/${id}`))
      .send({ name: 'Audited policy 2', lockout: { failureCount: 4, durationSeconds: 60 } })
      .expect(200);
    await api.delete(`${e()}/passwordPolicies/${id}`).set('X-Ping-External-Transaction-ID', 'admin-events').expect(204);
    await api.delete(`${e()}/passwordPolicies/${id}`).expect(404);

    const events = await eventsOf(id);
    expect(events.map((a) => [a.action.type, a.result.description])).toEqual([
      ['PASSWORD_POLICY.CREATED', 'Created password policy Audited policy'],
      ['PASSWORD_POLICY.UPDATED', 'Updated password policy Audited policy 2'],
      ['PASSWORD_POLICY.DELETED', 'Deleted password policy Audited policy 2'],
    ]);
    expect(events[0]).toMatchObject({
      correlationId: 'admin-events',
      actors: actor(),
      action: { description: 'Password Policy Created' },
      resources: [{ id, type: 'PASSWORD_POLICY', href: expect.stringMatching(new RegExp(`/passwordPolicies/${id}$`)) }],
    });
  });

  it('records MFA_SETTINGS.UPDATED with the new lockout, and nothing for a refused body', async () => {
    await json(api.put(`${e()}/mfaSettings`))
      .send({ lockout: { failureCount: 0, durationSeconds: 60 } })
      .expect(400);
    await json(api.put(`${e()}/mfaSettings`))
      .send({ lockout: { failureCount: 7, durationSeconds: 120 } })
      .expect(200);
    const events = (await eventsOf(env.environmentId)).filter((a) => a.action.type === 'MFA_SETTINGS.UPDATED');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actors: actor(),
      resources: [{ id: env.environmentId, type: 'MFA_SETTINGS', href: expect.stringMatching(/\/mfaSettings$/) }],
      result: { status: 'SUCCESS', description: 'Updated MFA settings: lock after 7 failed checks, for 120 seconds' },
    });
  });

  it('records POPULATION.CREATED and POPULATION.UPDATED', async () => {
    const created = await json(api.post(`${e()}/populations`))
      .send({ name: 'Audited population' })
      .expect(201);
    const id = created.body.id as string;
    await json(api.put(`${e()}/populations/${id}`))
      .send({ name: 'Renamed population' })
      .expect(200);
    const events = await eventsOf(id);
    expect(events.map((a) => [a.action.type, a.result.description])).toEqual([
      ['POPULATION.CREATED', 'Created population Audited population'],
      ['POPULATION.UPDATED', 'Updated population Renamed population'],
    ]);
    expect(events[1]).toMatchObject({ correlationId: 'admin-events', actors: actor(), resources: [{ id, type: 'POPULATION' }] });
  });
});
