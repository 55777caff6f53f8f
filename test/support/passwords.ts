import type { TestApp, TestEnvironment } from './test-app.js';
import { usersPath } from './test-app.js';

export const PASSWORD = {
  SET: 'application/vnd.pingidentity.password.set+json',
  RESET: 'application/vnd.pingidentity.password.reset+json',
  CHECK: 'application/vnd.pingidentity.password.check+json',
  UNLOCK: 'application/vnd.pingidentity.password.unlock+json',
  FORCE_CHANGE: 'application/vnd.pingidentity.password.forceChange',
  IMPORT: 'application/vnd.pingidentity.user.import+json',
} as const;

/** A password every default policy accepts. */
export const GOOD_PASSWORD = 'Correct-Horse-9-Battery';

export const passwordPath = (env: TestEnvironment, userId: string) => `${usersPath(env)}/${userId}/password`;

export function passwordCall(t: TestApp, env: TestEnvironment, userId: string, method: 'put' | 'post', type: string, body?: object) {
  const req = t.http[method](passwordPath(env, userId)).set('Authorization', `Bearer ${env.token}`).set('Content-Type', type);
  return body ? req.send(JSON.stringify(body)) : req;
}

export const checkPassword = (t: TestApp, env: TestEnvironment, userId: string, password: string) =>
  passwordCall(t, env, userId, 'post', PASSWORD.CHECK, { password });

/** Creates a policy with a small lockout for tests and makes it the environment's default. */
export async function useLockoutPolicy(t: TestApp, env: TestEnvironment, failureCount: number, durationSeconds: number): Promise<string> {
  const response = await t.http
    .post(`/v1/environments/${env.environmentId}/passwordPolicies`)
    .set('Authorization', `Bearer ${env.token}`)
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
  const created = await t.http
    .post(usersPath(env))
    .set('Authorization', `Bearer ${env.token}`)
    .set('Content-Type', PASSWORD.IMPORT)
    .send(JSON.stringify({ username, password: { value: password } }))
    .expect(201);
  return created.body.id as string;
}
