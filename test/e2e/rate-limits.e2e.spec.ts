import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes as M } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { codeAt, wrongCode } from '../support/otp.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { GOOD_PASSWORD, passwordPath, useLockoutPolicy, userWithPassword } from '../support/passwords.js';
import { createEnvironment, startApp, type TestApp, type TestEnvironment, usersPath, usesEmbeddedDatabase } from '../support/test-app.js';

const budget = (attempts: number, windowSeconds = 60) => ({ attempts, windowSeconds });

/**
 * The brute-force limits (docs/rate-limits.md): failures only count, a spent budget answers 429
 * with Retry-After and PingOne's body (OAuth's at the token endpoint) before anything is checked,
 * and the unlock is never limited. The app trusts X-Forwarded-For from loopback, so each test chooses its own
 * source address with X-Forwarded-For and has budgets of its own.
 */
describe('rate limits', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;
  let own: OwnDatabase | undefined;
  let n = 0;

  beforeAll(async () => {
    // The counters are shared state: on Postgres a database of this suite's own, so other runs cannot spend its budgets.
    own = usesEmbeddedDatabase() ? undefined : await ownDatabase(`identity_rate_limits_e2e_${process.pid}`);
    t = await startApp(
      {
        trustProxy: ['loopback'],
        rateLimits: {
          tokenPerClient: budget(3),
          tokenPerAddress: budget(10),
          passwordPerUser: budget(3),
          passwordPerAddress: budget(10),
          otpPerUser: budget(3),
          otpPerAddress: budget(10),
        },
      },
      own?.open,
    );
    env = await createEnvironment(t);
    api = t.as(env.token);
    await useLockoutPolicy(t, env, 50, 900);
  });
  afterAll(async () => {
    await t.close();
    await own?.drop();
  });

  const address = () => `203.0.113.${++n}`;
  const tokenRequest = (from: string, secret: string, clientId = env.clientId, environmentId = env.environmentId) =>
    t.http
      .post(`/${environmentId}/as/token`)
      .set('X-Forwarded-For', from)
      .auth(clientId, secret)
      .type('form')
      .send({ grant_type: 'client_credentials' });
  const check = (from: string, userId: string, password: string) =>
    api.post(passwordPath(env, userId)).set('X-Forwarded-For', from).type(M.PASSWORD_CHECK).send(JSON.stringify({ password }));
  const expectLimited = (response: { status: number; headers: Record<string, string>; body: any }, quotaLimit: number) => {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(response.body).toMatchObject({
      code: 'REQUEST_LIMITED',
      details: [{ code: 'LIMIT_EXCEEDED', innerError: { quotaLimit, retryAfter: expect.any(String), quotaResetTime: expect.any(String) } }],
    });
    expect(Date.parse(response.body.details[0].innerError.retryAfter)).toBeGreaterThan(Date.now());
  };

  describe('the token endpoint', () => {
    it('answers the failures of one client within its budget, then 429 in OAuth form with Retry-After, even for the right secret', async () => {
      const from = address();
      for (let i = 0; i < 3; i++) await tokenRequest(from, 'wrong-secret').expect(401);
      for (const secret of ['wrong-secret', env.clientSecret]) {
        const limited = await tokenRequest(from, secret).expect(429);
        expect(limited.body).toEqual({
          error: 'temporarily_unavailable',
          error_description: expect.stringMatching(/retry after \d+ seconds/),
        });
        expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      // The client's budget, not the address's: the same client is limited from anywhere.
      await tokenRequest(address(), env.clientSecret).expect(429);
    });

    it('does not count successes', async () => {
      const worker = await createEnvironment(t);
      const from = address();
      for (let i = 0; i < 10; i++) await tokenRequest(from, worker.clientSecret, worker.clientId, worker.environmentId).expect(200);
      await tokenRequest(from, 'wrong', worker.clientId, worker.environmentId).expect(401);
    });

    it('limits one address over many clients, however unknown', async () => {
      const from = address();
      for (let i = 0; i < 10; i++) await tokenRequest(from, 'x', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).expect(401);
      await tokenRequest(from, 'x', 'not-even-a-uuid').expect(429);
      await tokenRequest(address(), 'x', 'not-even-a-uuid').expect(401);
    });
  });

  describe('password checks', () => {
    it("limits one user's failures; the refused checks are not counted towards the lockout", async () => {
      const id = await userWithPassword(t, env, `limited-${++n}@example.com`);
      const from = address();
      for (let i = 0; i < 3; i++) await check(from, id, `Wrong-Password-${i}`).expect(400);
      expectLimited(await check(from, id, GOOD_PASSWORD), 3);
      expectLimited(await check(address(), id, 'Wrong-Password-x'), 3);
      const state = await api.get(passwordPath(env, id)).expect(200);
      expect(state.body.failuresRemaining).toBe(47);
      // The current password of a self reset is a check too.
      const reset = await api
        .put(passwordPath(env, id))
        .set('X-Forwarded-For', address())
        .type(M.PASSWORD_RESET)
        .send(JSON.stringify({ currentPassword: GOOD_PASSWORD, newPassword: 'Another-Good-7-Secret' }));
      expectLimited(reset, 3);
    });

    it('limits guesses spread over many users from one address', async () => {
      const from = address();
      const ids = await Promise.all([...Array(11).keys()].map((i) => userWithPassword(t, env, `spread-${n}-${i}@example.com`)));
      for (const id of ids.slice(0, 10)) await check(from, id, 'Wrong-Password-1').expect(400);
      expectLimited(await check(from, ids[10], GOOD_PASSWORD), 10);
      await check(address(), ids[10], GOOD_PASSWORD).expect(200);
    });

    it('never limits the unlock, nor counts right passwords', async () => {
      const id = await userWithPassword(t, env, `unlock-${++n}@example.com`);
      const from = address();
      for (let i = 0; i < 6; i++) await check(from, id, GOOD_PASSWORD).expect(200);
      for (let i = 0; i < 3; i++) await check(from, id, 'Wrong-Password-9').expect(400);
      await check(from, id, GOOD_PASSWORD).expect(429);
      for (let i = 0; i < 20; i++) {
        await api
          .post(`${usersPath(env)}/${id}`)
          .set('X-Forwarded-For', from)
          .type(M.ACCOUNT_UNLOCK)
          .expect(200);
      }
    });
  });

  describe('OTP checks', () => {
    it("limits one user's failed codes, then refuses even the right code with 429", async () => {
      const { body: user } = await api
        .post(usersPath(env))
        .type(M.JSON)
        .send(JSON.stringify({ username: `otp-${++n}@example.com` }))
        .expect(201);
      const { body: device } = await api
        .post(`${usersPath(env)}/${user.id}/devices`)
        .type(M.JSON)
        .send(JSON.stringify({ type: 'TOTP' }))
        .expect(201);
      const otp = (from: string, code: string) =>
        api
          .post(`${usersPath(env)}/${user.id}/devices/${device.id}`)
          .set('X-Forwarded-For', from)
          .type(M.OTP_CHECK)
          .send(JSON.stringify({ otp: code }));
      const from = address();
      for (let i = 0; i < 3; i++) await otp(from, wrongCode(device.secret, i)).expect(400);
      expectLimited(await otp(from, codeAt(device.secret, 0)), 3);
    });
  });
});
