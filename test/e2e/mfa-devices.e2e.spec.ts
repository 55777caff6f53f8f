import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { Secret, TOTP } from 'otpauth';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { BASE_URL, createEnvironment, createUser, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

const BASE32 = /^[A-Z2-7]+=*$/;

describe('/v1/environments/{envID}/users/{userID}/devices (TOTP devices)', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;
  let other: TestEnvironment;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
    other = await createEnvironment(t);
  });
  afterAll(async () => t.close());

  const devices = (userId: string, e: TestEnvironment = env) => `${usersPath(e)}/${userId}/devices`;
  const create = (userId: string, body: unknown = { type: 'TOTP' }, e: TestEnvironment = env) =>
    t.as(e.token).post(devices(userId, e)).set('Content-Type', MediaTypes.JSON).send(JSON.stringify(body));
  const read = (path: string, e: TestEnvironment = env) => t.as(e.token).get(path);
  const checkOtp = (userId: string, deviceId: string, otp: string) =>
    api
      .post(`${devices(userId)}/${deviceId}`)
      .set('Content-Type', MediaTypes.OTP_CHECK)
      .send(JSON.stringify({ otp }));

  it('creates a TOTP device: 201 with the device, its base32 secret and key URI', async () => {
    const user = await createUser(t, env, { username: 'pair@example.com' });
    const response = await create(user.id)
      .expect(201)
      .expect('content-type', /application\/json/);
    const body = response.body;
    const self = `${BASE_URL}/v1/environments/${env.environmentId}/users/${user.id}/devices/${body.id}`;
    expect(body).toMatchObject({
      _links: {
        self: { href: self },
        environment: { href: `${BASE_URL}/v1/environments/${env.environmentId}` },
        user: { href: `${BASE_URL}/v1/environments/${env.environmentId}/users/${user.id}` },
      },
      type: 'TOTP',
      status: 'ACTIVE',
      user: { id: user.id },
      environment: { id: env.environmentId },
    });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(body.createdAt)).not.toBeNaN();
    expect(Date.parse(body.updatedAt)).not.toBeNaN();
    expect(body.secret).toMatch(BASE32);
    expect(Secret.fromBase32(body.secret).buffer.byteLength).toBe(20);

    const uri = new URL(body.keyUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Test:pair@example.com');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      issuer: 'Test',
      secret: body.secret,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });

    // The secret handed out is the one the service checks against.
    await checkOtp(user.id, body.id, TOTP.generate({ secret: Secret.fromBase32(body.secret) })).expect(200);
  });

  it('never shows the secret again: not in the list, the device, the check answer or any event', async () => {
    const user = await createUser(t, env, { username: 'secretive@example.com' });
    const { id, secret } = (await create(user.id).expect(201)).body;
    const second = (await create(user.id).expect(201)).body;
    expect(second.secret).not.toBe(secret);

    const list = await read(devices(user.id)).expect(200);
    expect(list.body).toMatchObject({ _links: { self: { href: `${BASE_URL}${devices(user.id)}` } }, count: 2, size: 2 });
    expect(list.body._embedded.devices.map((d: { id: string }) => d.id)).toEqual([id, second.id]);
    const one = await read(`${devices(user.id)}/${id}`).expect(200);
    expect(one.body).toEqual(list.body._embedded.devices[0]);
    const checked = await checkOtp(user.id, id, TOTP.generate({ secret: Secret.fromBase32(secret) })).expect(200);
    expect(checked.body).toEqual(one.body);

    for (const body of [list.body, one.body, checked.body]) {
      expect(JSON.stringify(body)).not.toContain(secret);
      expect(JSON.stringify(body)).not.toMatch(/secret|keyUri/i);
    }
    const events = await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, user.id);
    expect(events.map((e) => e.type)).toContain('OTP.CHECK_SUCCESS');
    expect(JSON.stringify(events.map((e) => e.payload))).not.toContain(secret);
  });

  it('lists an empty collection for a user without devices', async () => {
    const user = await createUser(t, env, { username: 'nodevices@example.com' });
    const response = await read(devices(user.id)).expect(200);
    expect(response.body).toMatchObject({ _embedded: { devices: [] }, count: 0, size: 0 });
  });

  it('deletes a device with 204; afterwards it is 404 everywhere', async () => {
    const user = await createUser(t, env, { username: 'delete@example.com' });
    const { id, secret } = (await create(user.id).expect(201)).body;
    await api
      .delete(`${devices(user.id)}/${id}`)
      .expect(204)
      .expect((r) => expect(r.text).toBe(''));
    await read(`${devices(user.id)}/${id}`).expect(404);
    await api.delete(`${devices(user.id)}/${id}`).expect(404);
    await checkOtp(user.id, id, TOTP.generate({ secret: Secret.fromBase32(secret) })).expect(404);
    expect((await read(devices(user.id)).expect(200)).body.count).toBe(0);
  });

  it("answers 404 for another user's device, whatever the method, and leaves it alone", async () => {
    const owner = await createUser(t, env, { username: 'owner@example.com' });
    const stranger = await createUser(t, env, { username: 'stranger@example.com' });
    const { id, secret } = (await create(owner.id).expect(201)).body;

    const notFound = await read(`${devices(stranger.id)}/${id}`).expect(404);
    expect(notFound.body).toMatchObject({ code: 'NOT_FOUND' });
    await api.delete(`${devices(stranger.id)}/${id}`).expect(404);
    await checkOtp(stranger.id, id, TOTP.generate({ secret: Secret.fromBase32(secret) })).expect(404);
    expect((await read(devices(stranger.id)).expect(200)).body.count).toBe(0);

    await read(`${devices(owner.id)}/${id}`).expect(200);
  });

  it('answers 404 for a user that does not exist', async () => {
    const missing = '7a3e6d7c-1111-4222-8333-444455556666';
    await create(missing).expect(404);
    await read(devices(missing)).expect(404);
    await read(`${devices(missing)}/7a3e6d7c-1111-4222-8333-444455556667`).expect(404);
  });

  it('answers 403 to a token of another environment, for every device route', async () => {
    const user = await createUser(t, env, { username: 'foreign@example.com' });
    const { id } = (await create(user.id).expect(201)).body;
    const foreign = t.as(other.token);
    await foreign.post(devices(user.id)).set('Content-Type', MediaTypes.JSON).send('{"type":"TOTP"}').expect(403);
    await foreign.get(devices(user.id)).expect(403);
    await foreign.get(`${devices(user.id)}/${id}`).expect(403);
    await foreign.delete(`${devices(user.id)}/${id}`).expect(403);
    const check = await foreign
      .post(`${devices(user.id)}/${id}`)
      .set('Content-Type', MediaTypes.OTP_CHECK)
      .send('{"otp":"123456"}')
      .expect(403);
    expect(check.body.code).toBe('ACCESS_FAILED');
    await read(`${devices(user.id)}/${id}`).expect(200);
  });

  it('validates the body and the ids', async () => {
    const user = await createUser(t, env, { username: 'invalid@example.com' });
    const missing = await create(user.id, {}).expect(400);
    expect(missing.body.details).toEqual([expect.objectContaining({ code: 'REQUIRED_VALUE', target: 'type' })]);
    const sms = await create(user.id, { type: 'SMS' }).expect(400);
    expect(sms.body.details).toEqual([
      expect.objectContaining({ code: 'INVALID_VALUE', target: 'type', innerError: { allowedValues: ['TOTP'] } }),
    ]);
    const extra = await create(user.id, { type: 'TOTP', secret: 'AAAA' }).expect(400);
    expect(extra.body.details).toEqual([expect.objectContaining({ code: 'INVALID_VALUE', target: 'secret' })]);
    const wrongType = await api.post(devices(user.id)).set('Content-Type', MediaTypes.OTP_CHECK).send('{"type":"TOTP"}').expect(415);
    expect(wrongType.body.details[0].innerError.allowedValues).toEqual([MediaTypes.JSON]);

    const badUser = await read(devices('not-a-uuid')).expect(400);
    expect(badUser.body.details).toEqual([expect.objectContaining({ code: 'INVALID_VALUE', target: 'userId' })]);
    const badDevice = await read(`${devices(user.id)}/not-a-uuid`).expect(400);
    expect(badDevice.body.details).toEqual([expect.objectContaining({ code: 'INVALID_VALUE', target: 'deviceId' })]);
    expect((await read(devices(user.id)).expect(200)).body.count).toBe(0);
  });

  it('answers 405 with Allow for a method a device URL does not serve', async () => {
    const user = await createUser(t, env, { username: 'methods@example.com' });
    const response = await api.put(`${devices(user.id)}/7a3e6d7c-1111-4222-8333-444455556666`).expect(405);
    expect(response.headers.allow).toBe('DELETE, GET, POST');
  });
});
