import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import { Drain } from '../../src/common/lifecycle/drain.js';
import { closingReserveMs } from '../../src/common/lifecycle/graceful-shutdown.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { createEnvironment, createUser, lockUser, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

/** The drain's refusals, in process: what a request meets once a shutdown has begun. */
describe('a draining instance', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let userId: string;
  let drained: ReturnType<Drain['drain']>;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    userId = (await createUser(t, env, { username: `drain-${Date.now()}` })).id as string;
    await lockUser(t, env, userId);
    drained = t.app.get(Drain).drain(Date.now() + 2000);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers /health/ready 503 at once, with Retry-After, Connection: close and PingOne’s body', async () => {
    const response = await t.http.get('/health/ready');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers.connection).toBe('close');
    expect(response.body).toEqual({
      id: expect.any(String),
      code: 'UNEXPECTED_ERROR',
      message: 'The service is temporarily unavailable. Retry later.',
      details: [{ code: 'SHUTTING_DOWN', message: 'This instance is shutting down and did not process the request: send it again.' }],
    });
  });

  it('refuses an unlock with 503 before doing anything: the user stays locked', async () => {
    const response = await t
      .as(env.token)
      .post(`${usersPath(env)}/${userId}`)
      .type(MediaTypes.ACCOUNT_UNLOCK);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    const user = await t.app.get(TransactionHost).tx.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.accountStatus).toBe('LOCKED');
  });

  it('ends at once when nothing is in flight', async () => {
    await expect(drained).resolves.toEqual({ inFlight: 0, cut: 0 });
  });

  it('keeps a quarter of the drain time, at most 2 s, for closing', () => {
    expect([closingReserveMs(1000), closingReserveMs(4000), closingReserveMs(8000), closingReserveMs(60_000)]).toEqual([
      250, 1000, 2000, 2000,
    ]);
  });
});
