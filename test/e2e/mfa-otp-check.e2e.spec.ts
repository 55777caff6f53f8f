import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Secret, TOTP } from 'otpauth';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { codeAt, wrongCode, awayFromStepBoundary } from '../support/otp.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { BASE_URL, createEnvironment, createUser, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

describe('POST /v1/environments/{envID}/users/{userID}/devices/{deviceID} (OTP check)', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
    // A limit these tests do not reach: the lockout has its own suite.
    await api
      .put(`/v1/environments/${env.environmentId}/mfaSettings`)
      .set('Content-Type', MediaTypes.JSON)
      .send(JSON.stringify({ lockout: { failureCount: 20, durationSeconds: 600 } }))
      .expect(200);
  });
  afterAll(async () => t.close());
  beforeEach(awayFromStepBoundary);

  const newDevice = async (username: string) => {
    const user = await createUser(t, env, { username });
    const device = (
      await api
        .post(`${usersPath(env)}/${user.id}/devices`)
        .set('Content-Type', MediaTypes.JSON)
        .send('{"type":"TOTP"}')
        .expect(201)
    ).body;
    return { userId: user.id as string, deviceId: device.id as string, secret: device.secret as string };
  };
  const check = (d: { userId: string; deviceId: string }, otp: unknown, contentType: string = MediaTypes.OTP_CHECK) =>
    api
      .post(`${usersPath(env)}/${d.userId}/devices/${d.deviceId}`)
      .set('Content-Type', contentType)
      .send(JSON.stringify({ otp }));
  /** The OTP.* events of a user (USER.CREATED is not what these tests are about). */
  const events = async (userId: string, type?: string) =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, userId)).filter((e) =>
      type ? e.type === type : e.type.startsWith('OTP.'),
    );
  const failureCount = async (userId: string) =>
    (await t.app.get(TransactionHost).tx.user.findUniqueOrThrow({ where: { id: userId }, select: { mfaFailureCount: true } }))
      .mfaFailureCount;

  it('accepts the current code: 200 with the device and one OTP.CHECK_SUCCESS', async () => {
    const d = await newDevice('right@example.com');
    const response = await check(d, TOTP.generate({ secret: Secret.fromBase32(d.secret) }))
      .set('X-Ping-External-Transaction-ID', 'otp-ok-1')
      .expect(200);
    expect(response.body).toMatchObject({
      id: d.deviceId,
      type: 'TOTP',
      status: 'ACTIVE',
      user: { id: d.userId },
      _links: { self: { href: `${BASE_URL}${usersPath(env)}/${d.userId}/devices/${d.deviceId}` } },
    });
    const [event, ...more] = await events(d.userId);
    expect(more).toHaveLength(0);
    expect(event?.payload).toMatchObject({
      correlationId: 'otp-ok-1',
      action: { type: 'OTP.CHECK_SUCCESS' },
      actors: { client: { id: env.clientId, type: 'CLIENT' } },
      resources: [{ id: d.userId, name: 'right@example.com', type: 'USER' }],
      result: { status: 'SUCCESS' },
    });
  });

  it('refuses a wrong code: 400 INVALID_DATA / INVALID_OTP, OTP.CHECK_FAILED, counter +1', async () => {
    const d = await newDevice('wrong@example.com');
    const wrong = wrongCode(d.secret, 5);
    const response = await check(d, wrong).expect(400);
    expect(response.body).toMatchObject({
      code: 'INVALID_DATA',
      details: [{ code: 'INVALID_OTP', target: 'otp', innerError: { failuresRemaining: 19 } }],
    });
    expect(JSON.stringify(response.body)).not.toContain(d.secret);
    expect(await failureCount(d.userId)).toBe(1);
    const [event, ...more] = await events(d.userId);
    expect(more).toHaveLength(0);
    expect(event?.payload).toMatchObject({ action: { type: 'OTP.CHECK_FAILED' }, result: { status: 'FAILED' } });
    expect(event?.payload.result.description).toContain('wrong code (1 of 20 failures)');

    // Codes that are not six digits are wrong codes too, and count.
    await check(d, '12345')
      .expect(400)
      .expect((r) => expect(r.body.details[0].code).toBe('INVALID_OTP'));
    await check(d, 'abcdef').expect(400);
    expect(await failureCount(d.userId)).toBe(3);
  });

  it('refuses every code of a disabled user, right or wrong, uncounted and unrecorded (400 ACCOUNT_NOT_USABLE)', async () => {
    const d = await newDevice('disabled-otp@example.com');
    const setEnabled = (enabled: boolean) =>
      api
        .put(`${usersPath(env)}/${d.userId}/enabled`)
        .set('Content-Type', MediaTypes.JSON)
        .send(JSON.stringify({ enabled }))
        .expect(200);
    await setEnabled(false);
    const right = TOTP.generate({ secret: Secret.fromBase32(d.secret) });
    for (const otp of [right, wrongCode(d.secret, 5), wrongCode(d.secret, 6)]) {
      const refused = await check(d, otp).expect(400);
      expect(refused.body).toMatchObject({ code: 'REQUEST_FAILED', details: [{ code: 'ACCOUNT_NOT_USABLE', target: 'otp' }] });
    }
    expect(await failureCount(d.userId)).toBe(0);
    expect(await events(d.userId)).toEqual([]);
    // Enabled again, the same code is accepted: the refused check claimed nothing.
    await setEnabled(true);
    await check(d, right).expect(200);
  });

  it('resets the counter on a right code', async () => {
    const d = await newDevice('reset@example.com');
    await check(d, wrongCode(d.secret, 7)).expect(400);
    await check(d, wrongCode(d.secret, 8)).expect(400);
    expect(await failureCount(d.userId)).toBe(2);
    await check(d, codeAt(d.secret, 0)).expect(200);
    expect(await failureCount(d.userId)).toBe(0);
    expect((await events(d.userId)).map((e) => e.type)).toEqual(['OTP.CHECK_FAILED', 'OTP.CHECK_FAILED', 'OTP.CHECK_SUCCESS']);
  });

  it('refuses an accepted code the second time, and any code of an earlier step, counting each', async () => {
    const d = await newDevice('replay@example.com');
    const code = codeAt(d.secret, 0);
    await check(d, code).expect(200);
    const replay = await check(d, code).expect(400);
    expect(replay.body.details[0]).toMatchObject({ code: 'INVALID_OTP', innerError: { failuresRemaining: 19 } });
    const earlier = await check(d, codeAt(d.secret, -1)).expect(400);
    expect(earlier.body.details[0].code).toBe('INVALID_OTP');
    expect(await failureCount(d.userId)).toBe(2);
    const failed = await events(d.userId, 'OTP.CHECK_FAILED');
    expect(failed.map((e) => e.payload.result.description)).toEqual([
      expect.stringContaining('code already used (1 of 20 failures)'),
      expect.stringContaining('code already used (2 of 20 failures)'),
    ]);
  });

  it('the same code sent 10 times at once is accepted exactly once', async () => {
    const d = await newDevice('double@example.com');
    const code = codeAt(d.secret, 0);
    const responses = await Promise.all(Array.from({ length: 10 }, () => check(d, code)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(400)]);
    expect(await events(d.userId, 'OTP.CHECK_SUCCESS')).toHaveLength(1);
    expect(await events(d.userId, 'OTP.CHECK_FAILED')).toHaveLength(9);
  });

  it.each([
    ['the previous step', -1],
    ['the next step', 1],
  ])('accepts a code of %s (clock drift)', async (_, offset) => {
    const d = await newDevice(`drift${offset}@example.com`);
    await check(d, codeAt(d.secret, offset)).expect(200);
  });

  it.each([
    ['two steps back', -2],
    ['two steps ahead', 2],
  ])('refuses a code from %s', async (_, offset) => {
    const d = await newDevice(`far${offset}@example.com`);
    await check(d, codeAt(d.secret, offset))
      .expect(400)
      .expect((r) => expect(r.body.details[0].code).toBe('INVALID_OTP'));
    // The device still works: the refusal changed only the counter.
    await check(d, codeAt(d.secret, 0)).expect(200);
  });

  it('a later step is accepted after an earlier one', async () => {
    const d = await newDevice('forward@example.com');
    await check(d, codeAt(d.secret, -1)).expect(200);
    await check(d, codeAt(d.secret, 0)).expect(200);
    await check(d, codeAt(d.secret, 1)).expect(200);
  });

  it('refuses a malformed body without counting it', async () => {
    const d = await newDevice('malformed@example.com');
    const missing = await api
      .post(`${usersPath(env)}/${d.userId}/devices/${d.deviceId}`)
      .set('Content-Type', MediaTypes.OTP_CHECK)
      .send('{}')
      .expect(400);
    expect(missing.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code: 'REQUIRED_VALUE', target: 'otp' }] });
    await check(d, 123456)
      .expect(400)
      .expect((r) => expect(r.body.details[0]).toMatchObject({ code: 'INVALID_VALUE', target: 'otp' }));
    await check(d, '')
      .expect(400)
      .expect((r) => expect(r.body.details[0]).toMatchObject({ code: 'INVALID_VALUE', target: 'otp' }));
    expect(await failureCount(d.userId)).toBe(0);
    expect(await events(d.userId)).toHaveLength(0);
  });

  it('accepts the media type in any case and with parameters; refuses others with 415', async () => {
    const d = await newDevice('media@example.com');
    await check(d, codeAt(d.secret, 0), 'Application/Vnd.PingIdentity.OTP.Check+JSON; charset=utf-8').expect(200);
    const json = await check(d, codeAt(d.secret, 0), MediaTypes.JSON).expect(415);
    expect(json.body).toMatchObject({
      code: 'INVALID_REQUEST',
      details: [{ code: 'INVALID_VALUE', target: 'Content-Type', innerError: { allowedValues: [MediaTypes.OTP_CHECK] } }],
    });
    await api.post(`${usersPath(env)}/${d.userId}/devices/${d.deviceId}`).expect(415);
    await t.http
      .post(`${usersPath(env)}/${d.userId}/devices/${d.deviceId}`)
      .set('Content-Type', MediaTypes.OTP_CHECK)
      .send('{"otp":"000000"}')
      .expect(401);
    expect(await failureCount(d.userId)).toBe(0);
  });
});
