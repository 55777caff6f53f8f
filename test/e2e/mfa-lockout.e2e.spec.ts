import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { codeAt, wrongCode, awayFromStepBoundary } from '../support/otp.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { createEnvironment, createUser, lockUser, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

const FAILURE_COUNT = 3;
const DURATION_SECONDS = 120;

describe('the MFA lockout (failed OTP checks lock the account)', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
    await api
      .put(`/v1/environments/${env.environmentId}/mfaSettings`)
      .set('Content-Type', MediaTypes.JSON)
      .send(JSON.stringify({ lockout: { failureCount: FAILURE_COUNT, durationSeconds: DURATION_SECONDS } }))
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
  const check = (d: { userId: string; deviceId: string }, otp: string) =>
    api
      .post(`${usersPath(env)}/${d.userId}/devices/${d.deviceId}`)
      .set('Content-Type', MediaTypes.OTP_CHECK)
      .send(JSON.stringify({ otp }));
  const wrong = (d: { secret: string }, n: number) => wrongCode(d.secret, n);
  const user = async (userId: string) => (await api.get(`${usersPath(env)}/${userId}`).expect(200)).body;
  const events = async (userId: string, type: string) =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, userId)).filter((e) => e.type === type);
  const stored = (userId: string) =>
    t.app.get(TransactionHost).tx.user.findUniqueOrThrow({ where: { id: userId }, select: { mfaFailureCount: true, lockReason: true } });
  const unlock = (userId: string) =>
    api
      .post(`${usersPath(env)}/${userId}`)
      .set('Content-Type', MediaTypes.ACCOUNT_UNLOCK)
      .expect(200);

  it(`locks the account at the ${FAILURE_COUNT}rd failure, for durationSeconds, with one USER.LOCKED saying MFA`, async () => {
    const d = await newDevice('lockme@example.com');
    const remaining = [];
    for (let n = 1; n <= FAILURE_COUNT; n++) {
      const response = await check(d, wrong(d, n)).expect(400);
      expect(response.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code: 'INVALID_OTP' }] });
      remaining.push(response.body.details[0].innerError.failuresRemaining);
    }
    const lockedAround = Date.now();
    expect(remaining).toEqual([2, 1, 0]);

    const account = (await user(d.userId)).account;
    expect(account).toMatchObject({ status: 'LOCKED', canAuthenticate: false });
    expect(Math.abs(Date.parse(account.unlockAt) - (lockedAround + DURATION_SECONDS * 1000))).toBeLessThan(5000);
    expect(Math.abs(Date.parse(account.lockedAt) - lockedAround)).toBeLessThan(5000);
    expect(account.secondsUntilUnlock).toBeGreaterThan(DURATION_SECONDS - 10);
    expect(account.secondsUntilUnlock).toBeLessThanOrEqual(DURATION_SECONDS);
    expect(await stored(d.userId)).toEqual({ mfaFailureCount: FAILURE_COUNT, lockReason: 'MFA' });

    const [locked, ...more] = await events(d.userId, 'USER.LOCKED');
    expect(more).toHaveLength(0);
    expect(locked?.payload).toMatchObject({ action: { type: 'USER.LOCKED' }, result: { status: 'SUCCESS' } });
    expect(locked?.payload.result.description).toMatch(/MFA/);
    expect(locked?.payload.result.description).toContain(account.unlockAt);
    expect(await events(d.userId, 'OTP.CHECK_FAILED')).toHaveLength(FAILURE_COUNT);
  });

  it('while locked, answers 400 REQUEST_FAILED / ACCOUNT_LOCKED to right and wrong codes, counting nothing', async () => {
    const d = await newDevice('whilelocked@example.com');
    for (let n = 1; n <= FAILURE_COUNT; n++) await check(d, wrong(d, n)).expect(400);

    const right = codeAt(d.secret, 0);
    for (const otp of [right, wrong(d, 9)]) {
      const response = await check(d, otp).expect(400);
      expect(response.body).toMatchObject({ code: 'REQUEST_FAILED', details: [{ code: 'ACCOUNT_LOCKED' }] });
      expect(response.body.details[0].innerError.secondsUntilUnlock).toBeGreaterThan(DURATION_SECONDS - 10);
      expect(response.body.details[0].innerError.secondsUntilUnlock).toBeLessThanOrEqual(DURATION_SECONDS);
    }
    expect((await stored(d.userId)).mfaFailureCount).toBe(FAILURE_COUNT);
    expect(await events(d.userId, 'OTP.CHECK_FAILED')).toHaveLength(FAILURE_COUNT);
    expect(await events(d.userId, 'OTP.CHECK_SUCCESS')).toHaveLength(0);

    // The admin unlock sets the counter to 0, and checks count again. The right code refused
    // while locked was not used up: it is accepted now.
    await unlock(d.userId);
    expect((await stored(d.userId)).mfaFailureCount).toBe(0);
    const again = await check(d, wrong(d, 8)).expect(400);
    expect(again.body.details[0]).toMatchObject({ code: 'INVALID_OTP', innerError: { failuresRemaining: FAILURE_COUNT - 1 } });
    expect((await stored(d.userId)).mfaFailureCount).toBe(1);
    await check(d, right).expect(200);
    expect((await stored(d.userId)).mfaFailureCount).toBe(0);
  });

  it('an administrator lock also refuses checks, without secondsUntilUnlock when it has no end', async () => {
    const d = await newDevice('adminlocked@example.com');
    await lockUser(t, env, d.userId);
    const response = await check(d, codeAt(d.secret, 0)).expect(400);
    expect(response.body.details).toEqual([{ code: 'ACCOUNT_LOCKED', message: 'The account is locked.' }]);
    expect((await stored(d.userId)).mfaFailureCount).toBe(0);
    expect(await events(d.userId, 'OTP.CHECK_FAILED')).toHaveLength(0);
  });

  it('once the MFA lock has expired, checks count from 0 again and the release is recorded once', async () => {
    const d = await newDevice('expires@example.com');
    const lockedUntil = new Date(Date.now() + 60_000);
    // An MFA lock that is about to end, as the lockout leaves it.
    await t.app.get(TransactionHost).tx.user.update({
      where: { id: d.userId },
      data: { accountStatus: 'LOCKED', lockReason: 'MFA', lockedAt: new Date(), unlockAt: lockedUntil, mfaFailureCount: FAILURE_COUNT },
    });
    await check(d, wrong(d, 1))
      .expect(400)
      .expect((r) => expect(r.body.details[0].code).toBe('ACCOUNT_LOCKED'));
    const expired = new Date(Date.now() - 1000);
    await t.app.get(TransactionHost).tx.user.update({ where: { id: d.userId }, data: { unlockAt: expired } });

    const response = await check(d, wrong(d, 2)).expect(400);
    expect(response.body.details[0]).toMatchObject({ code: 'INVALID_OTP', innerError: { failuresRemaining: FAILURE_COUNT - 1 } });
    expect(await stored(d.userId)).toEqual({ mfaFailureCount: 1, lockReason: null });
    expect((await user(d.userId)).account.status).toBe('OK');
    const [released, ...more] = await events(d.userId, 'USER.UNLOCKED');
    expect(more).toHaveLength(0);
    expect(released?.payload.result.description).toBe(
      `Account unlocked automatically: the MFA lockout expired at ${expired.toISOString()}`,
    );
    expect(released?.payload.actors).toEqual({});
  });

  it(`${3 * FAILURE_COUNT} wrong codes at once: exactly ${FAILURE_COUNT} counted failures, then the lock, one USER.LOCKED`, async () => {
    const d = await newDevice('burst@example.com');
    const responses = await Promise.all(Array.from({ length: 3 * FAILURE_COUNT }, (_, n) => check(d, wrong(d, n))));

    expect(responses.every((r) => r.status === 400)).toBe(true);
    const codes = responses.map((r) => r.body.details[0].code);
    expect(codes.filter((c) => c === 'INVALID_OTP')).toHaveLength(FAILURE_COUNT);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED')).toHaveLength(2 * FAILURE_COUNT);
    const remaining = responses
      .filter((r) => r.body.details[0].code === 'INVALID_OTP')
      .map((r) => r.body.details[0].innerError.failuresRemaining);
    expect(remaining.sort()).toEqual([0, 1, 2]);

    const failed = await events(d.userId, 'OTP.CHECK_FAILED');
    expect(failed).toHaveLength(FAILURE_COUNT);
    expect((await stored(d.userId)).mfaFailureCount).toBe(failed.length);
    expect(await events(d.userId, 'USER.LOCKED')).toHaveLength(1);
    expect((await user(d.userId)).account.status).toBe('LOCKED');
  });
});
