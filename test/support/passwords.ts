import { MediaTypes } from '../../src/common/http/media-types.js';
import type { TestApp, TestEnvironment } from './test-app.js';
import { usersPath } from './test-app.js';

/** A password every default policy accepts. */
export const GOOD_PASSWORD = 'Correct-Horse-9-Battery';

export const passwordPath = (env: TestEnvironment, userId: string) => `${usersPath(env)}/${userId}/password`;

export function passwordCall(t: TestApp, env: TestEnvironment, userId: string, method: 'put' | 'post', type: string, body?: object) {
  const req = t.as(env.token)[method](passwordPath(env, userId)).type(type);
  return body ? req.send(JSON.stringify(body)) : req;
}

export const checkPassword = (t: TestApp, env: TestEnvironment, userId: string, password: string) =>
  passwordCall(t, env, userId, 'post', MediaTypes.PASSWORD_CHECK, { password });

/** Creates a policy with a small lockout for tests and makes it the environment's default. */
export async function useLockoutPolicy(t: TestApp, env: TestEnvironment, failureCount: number, durationSeconds: number): Promise<string> {
  const response = await t
    .as(env.token)
    .post(`/v1/environments/${env.environmentId}/passwordPolicies`)
    .send({
      name: `Lockout ${failureCount}/${durationSeconds}`,
      default: true,
      lockout: { failureCount, durationSeconds },
      history: { count: 2 },
    })
    .expect(201);
  return response.body.id as string;
}

/** Creates a user with a password set by the admin. */
export async function userWithPassword(t: TestApp, env: TestEnvironment, username: string, password = GOOD_PASSWORD): Promise<string> {
  const created = await t
    .as(env.token)
    .post(usersPath(env))
    .type(MediaTypes.USER_IMPORT)
    .send(JSON.stringify({ username, password: { value: password } }))
    .expect(201);
  return created.body.id as string;
}
