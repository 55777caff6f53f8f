import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import bcrypt from 'bcryptjs';
import { MediaTypes } from '../../src/common/http/media-types.js';
import { PasswordHasher } from '../../src/passwords/password-hasher.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { checkPassword, GOOD_PASSWORD, passwordCall, passwordPath, useLockoutPolicy, userWithPassword } from '../support/passwords.js';
import { createEnvironment, startApp, type TestApp, type TestEnvironment, UNLOCK, usersPath } from '../support/test-app.js';

/** Two instances of the service on one Postgres: races are decided by the database, not a process. */
describe('password lockout races across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let env: TestEnvironment;
  const FAILURES = 5;

  beforeAll(async () => {
    a = await startApp();
    b = await startApp();
    env = await createEnvironment(a);
    await useLockoutPolicy(a, env, FAILURES, 900);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const instance = (i: number) => (i % 2 === 0 ? a : b);
  const events = async (userId: string) =>
    (await a.app.get(OutboxRepository).listForEnvironment(env.environmentId, userId)).map((e) => e.type);
  const read = async (userId: string) => {
    const user = (
      await a.http
        .get(`${usersPath(env)}/${userId}`)
        .set('Authorization', `Bearer ${env.token}`)
        .expect(200)
    ).body;
    const password = (await a.http.get(passwordPath(env, userId)).set('Authorization', `Bearer ${env.token}`).expect(200)).body;
    return { user, password };
  };

  it('3×failureCount concurrent wrong passwords count exactly failureCount and lock exactly once', async () => {
    const id = await userWithPassword(a, env, 'race-lock@example.com');
    const responses = await Promise.all(
      Array.from({ length: FAILURES * 3 }, (_, i) => checkPassword(instance(i), env, id, `Wrong-Guess-${i}`)),
    );

    expect(responses.every((r) => r.status === 400)).toBe(true);
    const counted = responses.filter((r) => r.body.details[0].code === 'INVALID_VALUE');
    const refused = responses.filter((r) => r.body.details[0].code === 'PASSWORD_LOCKED_OUT');
    expect(counted).toHaveLength(FAILURES);
    expect(refused).toHaveLength(FAILURES * 2);
    expect(counted.filter((r) => r.body.details.some((d: any) => d.code === 'PASSWORD_LOCKED_OUT'))).toHaveLength(1);

    const types = await events(id);
    expect(types.filter((t) => t === 'PASSWORD.CHECK_FAILED')).toHaveLength(FAILURES);
    expect(types.filter((t) => t === 'USER.LOCKED')).toHaveLength(1);
    const { user, password } = await read(id);
    expect(user.account).toMatchObject({ status: 'LOCKED', canAuthenticate: false });
    expect(password).toMatchObject({ status: 'PASSWORD_LOCKED_OUT', failuresRemaining: 0 });
    await checkPassword(b, env, id, GOOD_PASSWORD).expect(400);
  });

  it('racing unlocks and failed checks never leave a locked account authenticating or a counter the events disagree with', async () => {
    const id = await userWithPassword(a, env, 'race-mixed@example.com');
    for (let round = 0; round < 4; round++) {
      const calls = Array.from({ length: 16 }, (_, i) =>
        i % 4 === 3
          ? instance(i)
              .http.post(`${usersPath(env)}/${id}`)
              .set('Authorization', `Bearer ${env.token}`)
              .set('Content-Type', UNLOCK)
          : checkPassword(instance(i), env, id, `Wrong-${round}-${i}`),
      );
      const responses = await Promise.all(calls);
      expect(responses.every((r) => r.status === 200 || r.status === 400)).toBe(true);
    }

    // Replay the outbox, in its order, to what the row must say.
    let failures = 0;
    let locked = false;
    for (const type of await events(id)) {
      if (type === 'PASSWORD.CHECK_FAILED') failures += 1;
      if (type === 'USER.LOCKED') locked = true;
      if (type === 'USER.UNLOCKED') {
        failures = 0;
        locked = false;
      }
    }
    const { user, password } = await read(id);
    expect(user.account.status).toBe(locked ? 'LOCKED' : 'OK');
    expect(user.account.canAuthenticate).toBe(!locked);
    expect(password.failuresRemaining).toBe(locked ? 0 : FAILURES - failures);
  });

  it('a password check that upgrades an old hash does not undo a reset made while it hashed', async () => {
    const created = await a
      .as(env.token)
      .post(usersPath(env))
      .type(MediaTypes.USER_IMPORT)
      .send(JSON.stringify({ username: 'race-upgrade@example.com', password: { value: bcrypt.hashSync('legacy password', 4) } }))
      .expect(201);
    const id = created.body.id as string;
    // Instance a computes the upgraded hash after verifying the old one; the reset lands on b in between.
    const hasher = a.app.get(PasswordHasher);
    const hash = hasher.hash.bind(hasher);
    let resetInBetween = false;
    hasher.hash = async (password: string) => {
      hasher.hash = hash;
      await passwordCall(b, env, id, 'put', MediaTypes.PASSWORD_RESET, { newPassword: 'Fresh-Start-42-Now' }).expect(200);
      resetInBetween = true;
      return hash(password);
    };
    try {
      await checkPassword(a, env, id, 'legacy password').expect(200);
    } finally {
      hasher.hash = hash;
    }
    expect(resetInBetween).toBe(true);
    // The reset stands: the new password checks, the old one no longer does.
    await checkPassword(b, env, id, 'Fresh-Start-42-Now').expect(200);
    await checkPassword(b, env, id, 'legacy password').expect(400);
  });
});
