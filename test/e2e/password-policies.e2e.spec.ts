import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Api } from '../support/api.js';
import { createEnvironment, startApp, type TestApp, type TestEnvironment } from '../support/test-app.js';

describe('password policies', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
  });
  afterAll(async () => t.close());

  const path = () => `/v1/environments/${env.environmentId}/passwordPolicies`;

  it('every new environment has the Standard policy as its default', async () => {
    const response = await api.get(path()).expect(200);
    expect(response.body.count).toBe(1);
    expect(response.body._embedded.passwordPolicies[0]).toMatchObject({
      name: 'Standard',
      default: true,
      lockout: { failureCount: 5, durationSeconds: 900 },
      length: { min: 8, max: 255 },
      excludesCommonlyUsed: true,
      excludesProfileData: true,
      history: { count: 6, retentionDays: 365 },
      environment: { id: env.environmentId },
    });
  });

  it('creates, reads, replaces and deletes a policy; attributes left out take the Standard values', async () => {
    const created = await api
      .post(path())
      .send({ name: 'Strict', lockout: { failureCount: 3, durationSeconds: 60 } })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'Strict',
      default: false,
      lockout: { failureCount: 3, durationSeconds: 60 },
      length: { min: 8, max: 255 },
    });
    expect(created.body._links.self.href).toBe(`http://localhost:3000${path()}/${created.body.id}`);
    await api.get(`${path()}/${created.body.id}`).expect(200);
    const replaced = await api
      .put(`${path()}/${created.body.id}`)
      .send({ name: 'Strict', length: { min: 12, max: 64 } })
      .expect(200);
    expect(replaced.body.length).toEqual({ min: 12, max: 64 });
    await api.delete(`${path()}/${created.body.id}`).expect(204);
    await api.get(`${path()}/${created.body.id}`).expect(404);
  });

  it('keeps exactly one default: making another default clears the old one; the default cannot be deleted', async () => {
    const standard = (await api.get(path()).expect(200)).body._embedded.passwordPolicies[0];
    const other = await api.post(path()).send({ name: 'New default', default: true }).expect(201);
    const list = (await api.get(path()).expect(200)).body._embedded.passwordPolicies;
    expect(list.filter((p: any) => p.default).map((p: any) => p.id)).toEqual([other.body.id]);
    const refused = await api.delete(`${path()}/${other.body.id}`).expect(400);
    expect(refused.body.code).toBe('REQUEST_FAILED');
    await api.put(`${path()}/${standard.id}`).send({ name: 'Standard', default: true }).expect(200);
    await api.delete(`${path()}/${other.body.id}`).expect(204);
  });

  it('refuses a duplicate name and invalid attributes', async () => {
    const dup = await api.post(path()).send({ name: 'Standard' }).expect(400);
    expect(dup.body.details[0]).toMatchObject({ code: 'UNIQUENESS_VIOLATION', target: 'name' });
    const bad = await api
      .post(path())
      .send({ name: 'Bad', length: { min: 20, max: 10 }, lockout: { failureCount: 0, durationSeconds: 5 } })
      .expect(400);
    expect(bad.body.details.map((d: any) => d.target).sort()).toEqual(['lockout.failureCount']);
    const inverted = await api
      .post(path())
      .send({ name: 'Bad', length: { min: 20, max: 10 } })
      .expect(400);
    expect(inverted.body.details[0].target).toBe('length.min');
    await api
      .post(path())
      .send({ name: 'Bad', minCharacters: { abc: 0 } })
      .expect(400);
  });

  it('is out of reach of another environment', async () => {
    const other = await createEnvironment(t);
    await t.as(other.token).get(path()).expect(403);
  });
});
