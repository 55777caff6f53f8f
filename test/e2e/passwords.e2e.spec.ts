import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { checkPassword, GOOD_PASSWORD, passwordCall, passwordPath, useLockoutPolicy, userWithPassword } from '../support/passwords.js';
import { createEnvironment, createUser, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

describe('passwords and the password lockout', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
    await useLockoutPolicy(t, env, 3, 900);
  });
  afterAll(async () => t.close());

  const types = async (userId: string) =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, userId)).map((e) => e.type);
  const state = async (userId: string) => (await api.get(passwordPath(env, userId)).expect(200)).body;
  const account = async (userId: string) => (await api.get(`${usersPath(env)}/${userId}`).expect(200)).body.account;

  describe('state and set', () => {
    it('a new user has NO_PASSWORD; an admin set makes it OK and records PASSWORD.SET', async () => {
      const user = await createUser(t, env, { username: 'set@example.com' });
      expect(await state(user.id)).toMatchObject({ status: 'NO_PASSWORD', user: { id: user.id } });
      const response = await passwordCall(t, env, user.id, 'put', MediaTypes.PASSWORD_SET, { value: GOOD_PASSWORD }).expect(200);
      expect(response.body).toMatchObject({ status: 'OK', failuresRemaining: 3, passwordPolicy: { id: expect.any(String) } });
      expect(Date.parse(response.body.lastChangedAt)).not.toBeNaN();
      expect(JSON.stringify(response.body)).not.toContain(GOOD_PASSWORD);
      expect(await types(user.id)).toEqual(['USER.CREATED', 'PASSWORD.SET']);
    });

    it('forceChange on set makes the status MUST_CHANGE_PASSWORD', async () => {
      const user = await createUser(t, env, { username: 'force-set@example.com' });
      const response = await passwordCall(t, env, user.id, 'put', MediaTypes.PASSWORD_SET, {
        value: GOOD_PASSWORD,
        forceChange: true,
      }).expect(200);
      expect(response.body.status).toBe('MUST_CHANGE_PASSWORD');
    });

    it('refuses a password that breaks the policy, one detail per broken rule, writing nothing', async () => {
      const user = await createUser(t, env, { username: 'weakling', email: 'weakling@example.com' });
      const response = await passwordCall(t, env, user.id, 'put', MediaTypes.PASSWORD_SET, { value: 'weakling' }).expect(400);
      const rules = response.body.details.map((d: any) => d.innerError.rule).sort();
      expect(response.body.code).toBe('INVALID_DATA');
      expect(rules).toEqual(['excludesProfileData', 'minCharacters', 'minCharacters', 'minCharacters']);
      const common = await passwordCall(t, env, user.id, 'put', MediaTypes.PASSWORD_SET, { value: 'password' }).expect(400);
      expect(common.body.details.map((d: any) => d.innerError.rule)).toContain('excludesCommonlyUsed');
      const repeated = await passwordCall(t, env, user.id, 'put', MediaTypes.PASSWORD_SET, { value: 'Aaa-aaa-111-xyz' }).expect(400);
      expect(repeated.body.details.map((d: any) => d.innerError.rule)).toEqual(['maxRepeatedCharacters']);
      expect((await state(user.id)).status).toBe('NO_PASSWORD');
      expect(await types(user.id)).toEqual(['USER.CREATED']);
    });

    it('refuses a password from the recent history', async () => {
      const id = await userWithPassword(t, env, 'history@example.com');
      await passwordCall(t, env, id, 'put', MediaTypes.PASSWORD_SET, { value: 'Another-Good-7-Secret' }).expect(200);
      const again = await passwordCall(t, env, id, 'put', MediaTypes.PASSWORD_SET, { value: GOOD_PASSWORD }).expect(400);
      expect(again.body.details[0].innerError.rule).toBe('history');
    });
  });

  describe('check', () => {
    it('a right password: 200, PASSWORD.CHECK_SUCCEEDED, counter reset', async () => {
      const id = await userWithPassword(t, env, 'check-ok@example.com');
      await checkPassword(t, env, id, 'Wrong-Password-1').expect(400);
      expect((await state(id)).failuresRemaining).toBe(2);
      const ok = await checkPassword(t, env, id, GOOD_PASSWORD).expect(200);
      expect(ok.body).toMatchObject({ status: 'OK', failuresRemaining: 3 });
      expect(await types(id)).toEqual(['USER.CREATED', 'PASSWORD.SET', 'PASSWORD.CHECK_FAILED', 'PASSWORD.CHECK_SUCCEEDED']);
    });

    it('a wrong password: 400 with failuresRemaining and PASSWORD.CHECK_FAILED', async () => {
      const id = await userWithPassword(t, env, 'check-bad@example.com');
      const response = await checkPassword(t, env, id, 'Wrong-Password-1').expect(400);
      expect(response.body).toMatchObject({
        code: 'INVALID_DATA',
        details: [{ code: 'INVALID_VALUE', target: 'password', innerError: { failuresRemaining: 2 } }],
      });
      const [failed] = (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, id)).filter(
        (e) => e.type === 'PASSWORD.CHECK_FAILED',
      );
      expect(failed?.payload.result.status).toBe('FAILED');
      expect(JSON.stringify(failed?.payload)).not.toContain('Wrong-Password-1');
    });

    it('a user without a password: 400 NO_PASSWORD', async () => {
      const user = await createUser(t, env, { username: 'nopass@example.com' });
      const response = await checkPassword(t, env, user.id, GOOD_PASSWORD).expect(400);
      expect(response.body).toMatchObject({ code: 'REQUEST_FAILED', details: [{ code: 'NO_PASSWORD' }] });
    });

    it('the failure that reaches failureCount locks password and account, once; later checks are refused uncounted', async () => {
      const id = await userWithPassword(t, env, 'lockout@example.com');
      await checkPassword(t, env, id, 'Wrong-Password-1').expect(400);
      await checkPassword(t, env, id, 'Wrong-Password-2').expect(400);
      const third = await checkPassword(t, env, id, 'Wrong-Password-3').expect(400);
      expect(third.body.details.map((d: any) => d.code)).toEqual(['INVALID_VALUE', 'PASSWORD_LOCKED_OUT']);

      const acct = await account(id);
      expect(acct).toMatchObject({ status: 'LOCKED', canAuthenticate: false });
      expect(acct.secondsUntilUnlock).toBeGreaterThan(890);
      const pw = await state(id);
      expect(pw).toMatchObject({ status: 'PASSWORD_LOCKED_OUT', failuresRemaining: 0 });
      expect(pw.secondsUntilUnlock).toBeGreaterThan(890);

      const refused = await checkPassword(t, env, id, GOOD_PASSWORD).expect(400);
      expect(refused.body).toMatchObject({
        code: 'REQUEST_FAILED',
        details: [{ code: 'PASSWORD_LOCKED_OUT', innerError: { secondsUntilUnlock: expect.any(Number) } }],
      });
      const events = await types(id);
      expect(events.filter((e) => e === 'PASSWORD.CHECK_FAILED')).toHaveLength(3);
      expect(events.filter((e) => e === 'USER.LOCKED')).toHaveLength(1);
      const [locked] = (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, id)).filter(
        (e) => e.type === 'USER.LOCKED',
      );
      expect(locked?.payload.result.description).toMatch(/failed password checks/);
    });

    it('the admin account unlock clears the password lock and its counter', async () => {
      const id = await userWithPassword(t, env, 'admin-unlock@example.com');
      for (const p of ['Bad-1-Password', 'Bad-2-Password', 'Bad-3-Password']) await checkPassword(t, env, id, p).expect(400);
      await api
        .post(`${usersPath(env)}/${id}`)
        .set('Content-Type', MediaTypes.ACCOUNT_UNLOCK)
        .expect(200);
      expect(await state(id)).toMatchObject({ status: 'OK', failuresRemaining: 3 });
      await checkPassword(t, env, id, GOOD_PASSWORD).expect(200);
    });

    it('a check while the account is locked by an administrator is refused uncounted', async () => {
      const id = await userWithPassword(t, env, 'admin-locked@example.com');
      await api
        .post(`${usersPath(env)}/${id}`)
        .set('Content-Type', MediaTypes.ACCOUNT_LOCK)
        .expect(200);
      const response = await checkPassword(t, env, id, 'Wrong-Password-1').expect(400);
      expect(response.body.details[0].code).toBe('ACCOUNT_LOCKED');
      expect((await types(id)).filter((e) => e === 'PASSWORD.CHECK_FAILED')).toHaveLength(0);
    });
  });

  describe('a disabled user', () => {
    it('fails every password check, right or wrong, uncounted and unrecorded (400 ACCOUNT_NOT_USABLE)', async () => {
      const id = await userWithPassword(t, env, 'disabled-check@example.com');
      await api
        .put(`${usersPath(env)}/${id}/enabled`)
        .set('Content-Type', MediaTypes.JSON)
        .send('{"enabled":false}')
        .expect(200);
      const before = await types(id);
      for (const password of [GOOD_PASSWORD, 'Wrong-Password-1', 'Wrong-Password-2', 'Wrong-Password-3', 'Wrong-Password-4']) {
        const refused = await checkPassword(t, env, id, password).expect(400);
        expect(refused.body).toMatchObject({ code: 'REQUEST_FAILED', details: [{ code: 'ACCOUNT_NOT_USABLE', target: 'password' }] });
      }
      const selfReset = await passwordCall(t, env, id, 'put', MediaTypes.PASSWORD_RESET, {
        currentPassword: GOOD_PASSWORD,
        newPassword: 'Another-Good-7-Secret',
      }).expect(400);
      expect(selfReset.body.details[0].code).toBe('ACCOUNT_NOT_USABLE');
      expect(await state(id)).toMatchObject({ status: 'OK', failuresRemaining: 3 });
      expect(await types(id)).toEqual(before);
      // Enabled again, the same password checks as before.
      await api
        .put(`${usersPath(env)}/${id}/enabled`)
        .set('Content-Type', MediaTypes.JSON)
        .send('{"enabled":true}')
        .expect(200);
      await checkPassword(t, env, id, GOOD_PASSWORD).expect(200);
    });
  });

  describe('password.unlock, reset and forceChange', () => {
    const lockOut = async (id: string) => {
      for (const p of ['Bad-1-Password', 'Bad-2-Password', 'Bad-3-Password']) await checkPassword(t, env, id, p).expect(400);
    };

    it('password.unlock clears the password lock and the account lock it caused', async () => {
      const id = await userWithPassword(t, env, 'pw-unlock@example.com');
      await lockOut(id);
      const response = await passwordCall(t, env, id, 'post', MediaTypes.PASSWORD_UNLOCK).expect(200);
      expect(response.body).toMatchObject({ status: 'OK', failuresRemaining: 3 });
      expect((await account(id)).status).toBe('OK');
      const events = await types(id);
      expect(events.slice(-2)).toEqual(['PASSWORD.UNLOCKED', 'USER.UNLOCKED']);
      // Again: nothing to unlock, no event.
      await passwordCall(t, env, id, 'post', MediaTypes.PASSWORD_UNLOCK).expect(200);
      expect(await types(id)).toEqual(events);
    });

    it('an admin reset sets the new password and clears the lockout (PASSWORD.RESET, USER.UNLOCKED)', async () => {
      const id = await userWithPassword(t, env, 'admin-reset@example.com');
      await lockOut(id);
      await passwordCall(t, env, id, 'put', MediaTypes.PASSWORD_RESET, { newPassword: 'Fresh-Start-42-Now' }).expect(200);
      expect((await types(id)).slice(-2)).toEqual(['PASSWORD.RESET', 'USER.UNLOCKED']);
      expect((await account(id)).status).toBe('OK');
      await checkPassword(t, env, id, 'Fresh-Start-42-Now').expect(200);
    });

    it('a self reset needs the current password; a wrong one counts as a failed check', async () => {
      const id = await userWithPassword(t, env, 'self-reset@example.com');
      const wrong = await passwordCall(t, env, id, 'put', MediaTypes.PASSWORD_RESET, {
        currentPassword: 'Not-It-1',
        newPassword: 'Fresh-Start-42-Now',
      }).expect(400);
      expect(wrong.body.details[0]).toMatchObject({ target: 'currentPassword', innerError: { failuresRemaining: 2 } });
      await passwordCall(t, env, id, 'put', MediaTypes.PASSWORD_RESET, {
        currentPassword: GOOD_PASSWORD,
        newPassword: 'Fresh-Start-42-Now',
      }).expect(200);
      await checkPassword(t, env, id, 'Fresh-Start-42-Now').expect(200);
    });

    it('forceChange makes the status MUST_CHANGE_PASSWORD; a user without a password gets NO_PASSWORD', async () => {
      const id = await userWithPassword(t, env, 'force@example.com');
      const response = await passwordCall(t, env, id, 'post', MediaTypes.PASSWORD_FORCE_CHANGE).expect(200);
      expect(response.body.status).toBe('MUST_CHANGE_PASSWORD');
      const none = await createUser(t, env, { username: 'force-none@example.com' });
      await passwordCall(t, env, none.id, 'post', MediaTypes.PASSWORD_FORCE_CHANGE).expect(400);
    });

    it('415 lists the password actions of each method', async () => {
      const id = await userWithPassword(t, env, 'media@example.com');
      const post = await passwordCall(t, env, id, 'post', MediaTypes.JSON, {}).expect(415);
      expect(post.body.details[0].innerError.allowedValues).toEqual([
        MediaTypes.PASSWORD_CHECK,
        MediaTypes.PASSWORD_UNLOCK,
        MediaTypes.PASSWORD_FORCE_CHANGE,
      ]);
      const put = await passwordCall(t, env, id, 'put', MediaTypes.PASSWORD_CHECK, {}).expect(415);
      expect(put.body.details[0].innerError.allowedValues).toEqual([MediaTypes.PASSWORD_SET, MediaTypes.PASSWORD_RESET]);
    });
  });

  describe('a population with its own policy', () => {
    it("holds its users to the population's policy, others to the environment default", async () => {
      const policy = await api
        .post(`/v1/environments/${env.environmentId}/passwordPolicies`)
        .send({ name: 'Two strikes', lockout: { failureCount: 2, durationSeconds: 60 } })
        .expect(201);
      const population = await api
        .post(`/v1/environments/${env.environmentId}/populations`)
        .send({ name: 'Contractors', passwordPolicy: { id: policy.body.id } })
        .expect(201);
      expect(population.body).toMatchObject({ name: 'Contractors', passwordPolicy: { id: policy.body.id }, default: false });
      const created = await api
        .post(usersPath(env))
        .set('Content-Type', MediaTypes.USER_IMPORT)
        .send(
          JSON.stringify({
            username: 'contractor@example.com',
            population: { id: population.body.id },
            password: { value: GOOD_PASSWORD },
          }),
        )
        .expect(201);
      const id = created.body.id;
      expect(await state(id)).toMatchObject({ failuresRemaining: 2, passwordPolicy: { id: policy.body.id } });
      await checkPassword(t, env, id, 'Bad-1-Password').expect(400);
      await checkPassword(t, env, id, 'Bad-2-Password').expect(400);
      expect((await account(id)).status).toBe('LOCKED');
      expect((await account(id)).secondsUntilUnlock).toBeLessThanOrEqual(60);

      const unknown = await api
        .put(`/v1/environments/${env.environmentId}/populations/${population.body.id}`)
        .send({ name: 'Contractors', passwordPolicy: { id: '0b6c3b8e-1c1f-4d62-9d6e-9d3f5b0f0a11' } })
        .expect(400);
      expect(unknown.body.details[0].target).toBe('passwordPolicy.id');
      const cleared = await api
        .put(`/v1/environments/${env.environmentId}/populations/${population.body.id}`)
        .send({ name: 'Contractors' })
        .expect(200);
      expect(cleared.body).not.toHaveProperty('passwordPolicy');
      expect((await state(id)).passwordPolicy.id).not.toBe(policy.body.id);
    });
  });

  describe('import', () => {
    it('imports a user with a cleartext password (policy-checked), recording USER.CREATED and PASSWORD.SET', async () => {
      const id = await userWithPassword(t, env, 'import-clear@example.com');
      expect(await types(id)).toEqual(['USER.CREATED', 'PASSWORD.SET']);
      await checkPassword(t, env, id, GOOD_PASSWORD).expect(200);
      const weak = await api
        .post(usersPath(env))
        .set('Content-Type', MediaTypes.USER_IMPORT)
        .send(JSON.stringify({ username: 'import-weak', password: { value: 'short' } }))
        .expect(400);
      expect(weak.body.details[0].target).toBe('password.value');
      const list = await api.get(usersPath(env)).query({ filter: 'username eq "import-weak"' }).expect(200);
      expect(list.body.count).toBe(0);
    });

    it('imports an argon2id hash as it is and checks against it', async () => {
      const hash = await argon2.hash('imported secret', { type: argon2.argon2id });
      const created = await api
        .post(usersPath(env))
        .set('Content-Type', MediaTypes.USER_IMPORT)
        .send(JSON.stringify({ username: 'import-argon2@example.com', password: { value: hash } }))
        .expect(201);
      await checkPassword(t, env, created.body.id, 'imported secret').expect(200);
      await checkPassword(t, env, created.body.id, hash).expect(400);
    });

    it('imports a bcrypt hash as it is, checks against it, and upgrades it to argon2id', async () => {
      const hash = bcrypt.hashSync('legacy password', 4);
      const created = await api
        .post(usersPath(env))
        .set('Content-Type', MediaTypes.USER_IMPORT)
        .send(JSON.stringify({ username: 'import-bcrypt@example.com', password: { value: hash } }))
        .expect(201);
      expect(JSON.stringify(created.body)).not.toContain(hash);
      await checkPassword(t, env, created.body.id, 'wrong legacy').expect(400);
      await checkPassword(t, env, created.body.id, 'legacy password').expect(200);
      await checkPassword(t, env, created.body.id, 'legacy password').expect(200);
    });

    it('refuses, with 400 and nothing created, a hash whose cost is above the documented limits', async () => {
      const argon = await argon2.hash('imported secret', { type: argon2.argon2id });
      // The cost is written in the hash: a crafted one needs no real computation to be sent.
      const tooMuchMemory = argon.replace(/m=[^$]+/, 'm=4194304,t=2,p=1');
      const tooManyLanes = argon.replace(/m=[^$]+/, 'm=19456,t=2,p=64');
      const bcryptCost13 = bcrypt.hashSync('legacy password', 4).replace(/^\$2b\$04\$/, '$2b$13$');
      for (const [n, value, parameter] of [
        [1, tooMuchMemory, 'm'],
        [2, tooManyLanes, 'p'],
        [3, bcryptCost13, 'cost'],
      ] as const) {
        const refused = await api
          .post(usersPath(env))
          .set('Content-Type', MediaTypes.USER_IMPORT)
          .send(JSON.stringify({ username: `import-costly-${n}`, password: { value } }))
          .expect(400);
        expect(refused.body.code).toBe('INVALID_DATA');
        expect(refused.body.details[0]).toMatchObject({ code: 'INVALID_VALUE', target: 'password.value', innerError: { parameter } });
        const list = await api
          .get(usersPath(env))
          .query({ filter: `username eq "import-costly-${n}"` })
          .expect(200);
        expect(list.body.count).toBe(0);
      }
      const withinLimits = argon.replace(/m=[^$]+/, 'm=65536,t=3,p=4');
      await api
        .post(usersPath(env))
        .set('Content-Type', MediaTypes.USER_IMPORT)
        .send(JSON.stringify({ username: 'import-costly-ok', password: { value: withinLimits } }))
        .expect(201);
    });
  });
});
