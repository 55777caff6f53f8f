/**
 * The access matrix: every route the application serves, tried with every kind of caller that
 * must be refused, and with one that must succeed. The list of routes comes from the running
 * application (RouteCatalog), so a route added without a row here fails this suite.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { TOTP, Secret } from 'otpauth';
import { Permissions, type Permission } from '../../src/common/authorization/permissions.js';
import type { AccessTarget } from '../../src/common/authorization/require-permission.decorator.js';
import { roleByName } from '../../src/common/authorization/roles.js';
import { ApplicationsService } from '../../src/applications/applications.service.js';
import { SigningKeysService } from '../../src/auth/signing-keys.service.js';
import { RouteCatalog } from '../../src/common/http/route-catalog.js';
import { MediaTypes as M } from '../../src/common/http/media-types.js';
import { GOOD_PASSWORD } from '../support/passwords.js';
import {
  BASE_URL,
  createEnvironment,
  createPopulation,
  createUser,
  createWorker,
  startApp,
  type TestApp,
  type TestEnvironment,
  type TestWorker,
} from '../support/test-app.js';

interface Call {
  method: string;
  url: string;
  contentType?: string;
  body?: string;
}

interface Row {
  /** null: a public route. */
  permission: Permission | null;
  target: AccessTarget;
  /** What the right caller gets. */
  success: number;
  /** Builds the request, creating whatever it touches (in population B) through the admin. */
  call: () => Call | Promise<Call>;
  /**
   * What a caller scoped to population A gets where it differs from the default: a 403 where the
   * role lacks the permission or the route is environment-wide, a 404 for a user of population B
   * (as for a missing user), and the success code where the route narrows what it reads to the
   * caller's populations.
   */
  scopedStatus?: number;
}

const UNSUPPORTED = 'text/plain';

describe('access matrix: every route, every refused caller, and the right one', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let other: TestEnvironment;
  let popA: string;
  let popB: string;
  let reader: TestWorker;
  let popAdminA: TestWorker;
  let n = 0;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    other = await createEnvironment(t);
    popA = await createPopulation(t, env, 'A');
    popB = await createPopulation(t, env, 'B');
    reader = await createWorker(t, env, [{ role: 'Identity Data Read Only' }]);
    popAdminA = await createWorker(t, env, [{ role: 'Identity Data Admin', scope: { type: 'POPULATION', id: popA } }]);
  });
  afterAll(() => t.close());

  const e = () => `/v1/environments/${env.environmentId}`;
  const admin = () => t.as(env.token);
  const json = (value: unknown) => JSON.stringify(value);
  const unique = (prefix: string) => `${prefix}-${++n}-${Date.now()}`;

  // Fixtures, each created fresh through the admin so a successful DELETE or rotation harms nothing else.
  const userInB = async () =>
    (await createUser(t, env, { username: `${unique('user')}@example.com`, population: { id: popB } })).id as string;
  const userWithPassword = async () => {
    const id = await userInB();
    await admin()
      .put(`${e()}/users/${id}/password`)
      .set('Content-Type', M.PASSWORD_SET)
      .send(json({ value: GOOD_PASSWORD }))
      .expect(200);
    return id;
  };
  const device = async () => {
    const userId = await userInB();
    const { body } = await admin()
      .post(`${e()}/users/${userId}/devices`)
      .set('Content-Type', M.JSON)
      .send(json({ type: 'TOTP' }))
      .expect(201);
    return { userId, deviceId: body.id as string, secret: body.secret as string };
  };
  const application = async () => (await t.app.get(ApplicationsService).createWorker(env.environmentId, unique('app'))).id;
  const policy = async () =>
    (
      await admin()
        .post(`${e()}/passwordPolicies`)
        .set('Content-Type', M.JSON)
        .send(json({ name: unique('policy') }))
        .expect(201)
    ).body.id as string;
  const assignment = async (kind: 'users' | 'applications', subjectId: string) =>
    (
      await admin()
        .post(`${e()}/${kind}/${subjectId}/roleAssignments`)
        .set('Content-Type', M.JSON)
        .send(json({ role: { id: roleByName('Identity Data Read Only')?.id }, scope: { type: 'POPULATION', id: popB } }))
        .expect(201)
    ).body.id as string;
  const subscriptionBody = () =>
    json({
      name: unique('hook'),
      enabled: true,
      filterOptions: { includedActionTypes: ['USER.LOCKED'] },
      httpEndpoint: { url: 'https://93.184.216.34/hook' },
      verifyTlsCertificates: true,
    });
  const subscription = async () =>
    (await admin().post(`${e()}/subscriptions`).set('Content-Type', M.JSON).send(subscriptionBody()).expect(201)).body.id as string;
  const dayWindow = () =>
    `recordedAt gt "${new Date(Date.now() - 86_400_000).toISOString()}" and recordedAt lt "${new Date(Date.now() + 60_000).toISOString()}"`;
  const groupIn = async (populationId?: string) =>
    (
      await admin()
        .post(`${e()}/groups`)
        .set('Content-Type', M.JSON)
        .send(json({ name: unique('group'), ...(populationId ? { population: { id: populationId } } : {}) }))
        .expect(201)
    ).body.id as string;
  const nested = async () => {
    const [groupId, parentId] = [await groupIn(popB), await groupIn()];
    await admin()
      .post(`${e()}/groups/${groupId}/memberOfGroups`)
      .set('Content-Type', M.JSON)
      .send(json({ id: parentId }))
      .expect(201);
    return { groupId, parentId };
  };
  const member = async () => {
    const [userId, groupId] = [await userInB(), await groupIn(popB)];
    await admin()
      .post(`${e()}/users/${userId}/memberOfGroups`)
      .set('Content-Type', M.JSON)
      .send(json({ id: groupId }))
      .expect(201);
    return { userId, groupId };
  };
  const readOnlyGrant = () => json({ role: { id: roleByName('Identity Data Read Only')?.id }, scope: { type: 'POPULATION', id: popB } });

  const P = Permissions;
  const row = (permission: Permission, target: AccessTarget, success: number, call: () => Call | Promise<Call>): Row => ({
    permission,
    target,
    success,
    call,
  });
  const call = (method: string, url: string, contentType?: string, body?: string): Call => ({ method, url, contentType, body });

  const rows: Record<string, Row> = {
    // Public by intent.
    'POST /:envId/as/token': {
      permission: null,
      target: 'anywhere',
      success: 200,
      call: () =>
        call(
          'POST',
          `/${env.environmentId}/as/token`,
          M.FORM,
          new URLSearchParams({ grant_type: 'client_credentials', client_id: env.clientId, client_secret: env.clientSecret }).toString(),
        ),
    },
    'GET /:envId/as/jwks': { permission: null, target: 'anywhere', success: 200, call: () => call('GET', `/${env.environmentId}/as/jwks`) },
    'GET /health': { permission: null, target: 'anywhere', success: 200, call: () => call('GET', '/health') },
    'GET /health/live': { permission: null, target: 'anywhere', success: 200, call: () => call('GET', '/health/live') },
    'GET /health/ready': { permission: null, target: 'anywhere', success: 200, call: () => call('GET', '/health/ready') },
    // No access token opens it: it needs METRICS_TOKEN, and without one set (as here) it is not served at all.
    // Its token is tested in metrics.e2e.spec.ts.
    'GET /metrics': { permission: null, target: 'anywhere', success: 404, call: () => call('GET', '/metrics') },
    'GET /openapi.json': { permission: null, target: 'anywhere', success: 200, call: () => call('GET', '/openapi.json') },
    'GET /docs': { permission: null, target: 'anywhere', success: 200, call: () => call('GET', '/docs') },
    'GET /docs/:asset': { permission: null, target: 'anywhere', success: 200, call: () => call('GET', '/docs/swagger-ui.css') },

    // The environment itself.
    'GET /v1/environments': row(P.READ_ENVIRONMENT, 'anywhere', 200, () => call('GET', '/v1/environments')),
    'GET /v1/environments/:envId': row(P.READ_ENVIRONMENT, 'anywhere', 200, () => call('GET', e())),
    'PUT /v1/environments/:envId': row(P.UPDATE_ENVIRONMENT, 'environment', 200, () =>
      call('PUT', e(), M.JSON, json({ name: unique('environment'), description: 'Renamed by the access matrix' })),
    ),

    // Users.
    'POST /v1/environments/:envId/users [application/json]': row(P.CREATE_USER, 'newUser', 201, () =>
      call('POST', `${e()}/users`, M.JSON, json({ username: `${unique('new')}@example.com`, population: { id: popB } })),
    ),
    'POST /v1/environments/:envId/users [application/vnd.pingidentity.user.import+json]': row(P.IMPORT_USER, 'newUser', 201, () =>
      call(
        'POST',
        `${e()}/users`,
        M.USER_IMPORT,
        json({ username: `${unique('imported')}@example.com`, population: { id: popB }, password: { value: GOOD_PASSWORD } }),
      ),
    ),
    'POST /v1/environments/:envId/users': row(P.CREATE_USER, 'newUser', 415, () => call('POST', `${e()}/users`, UNSUPPORTED, 'x')),
    'GET /v1/environments/:envId/users': row(P.READ_USER, 'users', 200, () => call('GET', `${e()}/users`)),
    'GET /v1/environments/:envId/users/:userId': row(P.READ_USER, 'user', 200, async () => call('GET', `${e()}/users/${await userInB()}`)),
    'PUT /v1/environments/:envId/users/:userId': {
      ...row(P.UPDATE_USER, 'user', 200, async () =>
        call(
          'PUT',
          `${e()}/users/${await userInB()}`,
          M.JSON,
          json({ username: `${unique('renamed')}@example.com`, population: { id: popB } }),
        ),
      ),
      // The body names population B, which the caller cannot reach: 403 before the user is looked at, as for a missing id.
      scopedStatus: 403,
    },
    'PATCH /v1/environments/:envId/users/:userId': row(P.UPDATE_USER, 'user', 200, async () =>
      call('PATCH', `${e()}/users/${await userInB()}`, M.JSON, json({ nickname: 'Nick' })),
    ),
    'DELETE /v1/environments/:envId/users/:userId': row(P.DELETE_USER, 'user', 204, async () =>
      call('DELETE', `${e()}/users/${await userInB()}`),
    ),
    'PUT /v1/environments/:envId/users/:userId/enabled': row(P.UPDATE_USER, 'user', 200, async () =>
      call('PUT', `${e()}/users/${await userInB()}/enabled`, M.JSON, json({ enabled: false })),
    ),
    'GET /v1/environments/:envId/users/:userId/enabled': row(P.READ_USER, 'user', 200, async () =>
      call('GET', `${e()}/users/${await userInB()}/enabled`),
    ),
    'POST /v1/environments/:envId/users/:userId [application/vnd.pingidentity.account.unlock+json]': row(
      P.UNLOCK_USER,
      'user',
      200,
      async () => call('POST', `${e()}/users/${await userInB()}`, M.ACCOUNT_UNLOCK),
    ),
    'POST /v1/environments/:envId/users/:userId [application/vnd.pingidentity.account.lock+json]': row(P.LOCK_USER, 'user', 200, async () =>
      call('POST', `${e()}/users/${await userInB()}`, M.ACCOUNT_LOCK),
    ),
    // Actions PingOne links from every user that this service does not offer: 400 FEATURE_NOT_ENABLED for the right caller.
    'POST /v1/environments/:envId/users/:userId [application/vnd.pingidentity.user.sendverificationcode+json]': row(
      P.UPDATE_USER,
      'user',
      400,
      async () => call('POST', `${e()}/users/${await userInB()}`, M.USER_SEND_VERIFICATION_CODE),
    ),
    'POST /v1/environments/:envId/users/:userId [application/vnd.pingidentity.user.verify+json]': row(
      P.UPDATE_USER,
      'user',
      400,
      async () => call('POST', `${e()}/users/${await userInB()}`, M.USER_VERIFY, json({ verificationCode: '12345678' })),
    ),
    'GET /v1/environments/:envId/users/:userId/population': row(P.READ_USER, 'user', 200, async () =>
      call('GET', `${e()}/users/${await userInB()}/population`),
    ),
    // The body names population B, which the scoped caller cannot reach: 403, as for a PUT naming it.
    'PUT /v1/environments/:envId/users/:userId/population': row(P.UPDATE_USER, 'userMove', 200, async () =>
      call('PUT', `${e()}/users/${await userInB()}/population`, M.JSON, json({ id: popB })),
    ),
    'GET /v1/environments/:envId/users/:userId/mfaEnabled': row(P.READ_USER, 'user', 200, async () =>
      call('GET', `${e()}/users/${await userInB()}/mfaEnabled`),
    ),
    'PUT /v1/environments/:envId/users/:userId/mfaEnabled': row(P.UPDATE_USER, 'user', 200, async () =>
      call('PUT', `${e()}/users/${await userInB()}/mfaEnabled`, M.JSON, json({ mfaEnabled: true })),
    ),
    'GET /v1/environments/:envId/users/:userId/linkedAccounts': row(P.READ_USER, 'user', 200, async () =>
      call('GET', `${e()}/users/${await userInB()}/linkedAccounts`),
    ),
    'POST /v1/environments/:envId/users/:userId': row(P.UNLOCK_USER, 'user', 415, async () =>
      call('POST', `${e()}/users/${await userInB()}`, UNSUPPORTED, 'x'),
    ),

    // Passwords.
    'GET /v1/environments/:envId/users/:userId/password': row(P.READ_USER_PASSWORD, 'user', 200, async () =>
      call('GET', `${e()}/users/${await userInB()}/password`),
    ),
    'PUT /v1/environments/:envId/users/:userId/password [application/vnd.pingidentity.password.set+json]': row(
      P.UPDATE_USER_PASSWORD,
      'user',
      200,
      async () => call('PUT', `${e()}/users/${await userInB()}/password`, M.PASSWORD_SET, json({ value: GOOD_PASSWORD })),
    ),
    'PUT /v1/environments/:envId/users/:userId/password [application/vnd.pingidentity.password.reset+json]': row(
      P.UPDATE_USER_PASSWORD,
      'user',
      200,
      async () =>
        call('PUT', `${e()}/users/${await userWithPassword()}/password`, M.PASSWORD_RESET, json({ newPassword: `${GOOD_PASSWORD}-2` })),
    ),
    'PUT /v1/environments/:envId/users/:userId/password': row(P.UPDATE_USER_PASSWORD, 'user', 415, async () =>
      call('PUT', `${e()}/users/${await userInB()}/password`, UNSUPPORTED, 'x'),
    ),
    'POST /v1/environments/:envId/users/:userId/password [application/vnd.pingidentity.password.check+json]': row(
      P.CHECK_USER_PASSWORD,
      'user',
      200,
      async () => call('POST', `${e()}/users/${await userWithPassword()}/password`, M.PASSWORD_CHECK, json({ password: GOOD_PASSWORD })),
    ),
    'POST /v1/environments/:envId/users/:userId/password [application/vnd.pingidentity.password.unlock+json]': row(
      P.UNLOCK_USER,
      'user',
      200,
      async () => call('POST', `${e()}/users/${await userWithPassword()}/password`, M.PASSWORD_UNLOCK),
    ),
    'POST /v1/environments/:envId/users/:userId/password [application/vnd.pingidentity.password.forcechange]': row(
      P.UPDATE_USER_PASSWORD,
      'user',
      200,
      async () => call('POST', `${e()}/users/${await userWithPassword()}/password`, M.PASSWORD_FORCE_CHANGE),
    ),
    'POST /v1/environments/:envId/users/:userId/password [application/vnd.pingidentity.password.sendrecoverycode+json]': row(
      P.UPDATE_USER_PASSWORD,
      'user',
      400,
      async () => call('POST', `${e()}/users/${await userInB()}/password`, M.PASSWORD_SEND_RECOVERY_CODE),
    ),
    'POST /v1/environments/:envId/users/:userId/password [application/vnd.pingidentity.password.recover+json]': row(
      P.UPDATE_USER_PASSWORD,
      'user',
      400,
      async () =>
        call(
          'POST',
          `${e()}/users/${await userInB()}/password`,
          M.PASSWORD_RECOVER,
          json({ recoveryCode: '12345678', newPassword: GOOD_PASSWORD }),
        ),
    ),
    'POST /v1/environments/:envId/users/:userId/password': row(P.CHECK_USER_PASSWORD, 'user', 415, async () =>
      call('POST', `${e()}/users/${await userInB()}/password`, UNSUPPORTED, 'x'),
    ),

    // MFA devices and settings.
    'POST /v1/environments/:envId/users/:userId/devices': row(P.CREATE_DEVICE, 'user', 201, async () =>
      call('POST', `${e()}/users/${await userInB()}/devices`, M.JSON, json({ type: 'TOTP' })),
    ),
    'GET /v1/environments/:envId/users/:userId/devices': row(P.READ_DEVICE, 'user', 200, async () =>
      call('GET', `${e()}/users/${await userInB()}/devices`),
    ),
    'GET /v1/environments/:envId/users/:userId/devices/:deviceId': row(P.READ_DEVICE, 'user', 200, async () => {
      const d = await device();
      return call('GET', `${e()}/users/${d.userId}/devices/${d.deviceId}`);
    }),
    'DELETE /v1/environments/:envId/users/:userId/devices/:deviceId': row(P.DELETE_DEVICE, 'user', 204, async () => {
      const d = await device();
      return call('DELETE', `${e()}/users/${d.userId}/devices/${d.deviceId}`);
    }),
    'POST /v1/environments/:envId/users/:userId/devices/:deviceId': row(P.CHECK_DEVICE, 'user', 200, async () => {
      const d = await device();
      return call(
        'POST',
        `${e()}/users/${d.userId}/devices/${d.deviceId}`,
        M.OTP_CHECK,
        json({ otp: TOTP.generate({ secret: Secret.fromBase32(d.secret) }) }),
      );
    }),
    'GET /v1/environments/:envId/mfaSettings': row(P.READ_MFA_SETTINGS, 'environment', 200, () => call('GET', `${e()}/mfaSettings`)),
    'PUT /v1/environments/:envId/mfaSettings': row(P.UPDATE_MFA_SETTINGS, 'environment', 200, () =>
      call('PUT', `${e()}/mfaSettings`, M.JSON, json({ lockout: { failureCount: 5, durationSeconds: 600 } })),
    ),

    // Populations and password policies.
    'GET /v1/environments/:envId/populations': row(P.READ_POPULATION, 'environment', 200, () => call('GET', `${e()}/populations`)),
    'POST /v1/environments/:envId/populations': row(P.CREATE_POPULATION, 'environment', 201, () =>
      call('POST', `${e()}/populations`, M.JSON, json({ name: unique('population') })),
    ),
    'GET /v1/environments/:envId/populations/:populationId': row(P.READ_POPULATION, 'population', 200, () =>
      call('GET', `${e()}/populations/${popB}`),
    ),
    'PUT /v1/environments/:envId/populations/:populationId': row(P.UPDATE_POPULATION, 'environment', 200, async () => {
      const id = await createPopulation(t, env, unique('to-rename'));
      return call('PUT', `${e()}/populations/${id}`, M.JSON, json({ name: unique('renamed') }));
    }),
    'GET /v1/environments/:envId/passwordPolicies': row(P.READ_PASSWORD_POLICY, 'environment', 200, () =>
      call('GET', `${e()}/passwordPolicies`),
    ),
    'POST /v1/environments/:envId/passwordPolicies': row(P.CREATE_PASSWORD_POLICY, 'environment', 201, () =>
      call('POST', `${e()}/passwordPolicies`, M.JSON, json({ name: unique('policy') })),
    ),
    'GET /v1/environments/:envId/passwordPolicies/:policyId': row(P.READ_PASSWORD_POLICY, 'environment', 200, async () =>
      call('GET', `${e()}/passwordPolicies/${await policy()}`),
    ),
    'PUT /v1/environments/:envId/passwordPolicies/:policyId': row(P.UPDATE_PASSWORD_POLICY, 'environment', 200, async () =>
      call('PUT', `${e()}/passwordPolicies/${await policy()}`, M.JSON, json({ name: unique('policy') })),
    ),
    'DELETE /v1/environments/:envId/passwordPolicies/:policyId': row(P.DELETE_PASSWORD_POLICY, 'environment', 204, async () =>
      call('DELETE', `${e()}/passwordPolicies/${await policy()}`),
    ),

    // Applications and their secrets.
    'GET /v1/environments/:envId/applications': row(P.READ_APPLICATION, 'environment', 200, () => call('GET', `${e()}/applications`)),
    'POST /v1/environments/:envId/applications': row(P.CREATE_APPLICATION, 'environment', 201, () =>
      call('POST', `${e()}/applications`, M.JSON, json({ name: unique('app'), type: 'WORKER', protocol: 'OPENID_CONNECT' })),
    ),
    'GET /v1/environments/:envId/applications/:appId': row(P.READ_APPLICATION, 'environment', 200, async () =>
      call('GET', `${e()}/applications/${await application()}`),
    ),
    'PUT /v1/environments/:envId/applications/:appId': row(P.UPDATE_APPLICATION, 'environment', 200, async () =>
      call(
        'PUT',
        `${e()}/applications/${await application()}`,
        M.JSON,
        json({ name: unique('app'), type: 'WORKER', protocol: 'OPENID_CONNECT', enabled: true }),
      ),
    ),
    'DELETE /v1/environments/:envId/applications/:appId': row(P.DELETE_APPLICATION, 'environment', 204, async () =>
      call('DELETE', `${e()}/applications/${await application()}`),
    ),
    'GET /v1/environments/:envId/applications/:appId/secret': row(P.READ_APPLICATION_SECRET, 'environment', 200, async () =>
      call('GET', `${e()}/applications/${await application()}/secret`),
    ),
    'POST /v1/environments/:envId/applications/:appId/secret': row(P.ROTATE_APPLICATION_SECRET, 'environment', 200, async () =>
      call('POST', `${e()}/applications/${await application()}/secret`, M.JSON, '{}'),
    ),

    // Roles and role assignments.
    'GET /v1/roles': row(P.READ_ROLE, 'anywhere', 200, () => call('GET', '/v1/roles')),
    'GET /v1/roles/:roleId': row(P.READ_ROLE, 'anywhere', 200, () => call('GET', `/v1/roles/${roleByName('Identity Data Admin')?.id}`)),
    'GET /v1/environments/:envId/applications/:appId/roleAssignments': row(
      P.READ_APPLICATION_ROLE_ASSIGNMENT,
      'environment',
      200,
      async () => call('GET', `${e()}/applications/${await application()}/roleAssignments`),
    ),
    'POST /v1/environments/:envId/applications/:appId/roleAssignments': row(
      P.CREATE_APPLICATION_ROLE_ASSIGNMENT,
      'environment',
      201,
      async () => call('POST', `${e()}/applications/${await application()}/roleAssignments`, M.JSON, readOnlyGrant()),
    ),
    'GET /v1/environments/:envId/applications/:appId/roleAssignments/:assignmentId': row(
      P.READ_APPLICATION_ROLE_ASSIGNMENT,
      'environment',
      200,
      async () => {
        const appId = await application();
        return call('GET', `${e()}/applications/${appId}/roleAssignments/${await assignment('applications', appId)}`);
      },
    ),
    'DELETE /v1/environments/:envId/applications/:appId/roleAssignments/:assignmentId': row(
      P.DELETE_APPLICATION_ROLE_ASSIGNMENT,
      'environment',
      204,
      async () => {
        const appId = await application();
        return call('DELETE', `${e()}/applications/${appId}/roleAssignments/${await assignment('applications', appId)}`);
      },
    ),
    // Groups (fixtures in population B, or environment-wide where the route needs a second group).
    'POST /v1/environments/:envId/groups': row(P.CREATE_GROUP, 'newGroup', 201, () =>
      call('POST', `${e()}/groups`, M.JSON, json({ name: unique('group'), population: { id: popB } })),
    ),
    'GET /v1/environments/:envId/groups': row(P.READ_GROUP, 'groups', 200, () => call('GET', `${e()}/groups`)),
    'GET /v1/environments/:envId/groups/:groupId': row(P.READ_GROUP, 'group', 200, async () =>
      call('GET', `${e()}/groups/${await groupIn(popB)}`),
    ),
    'PUT /v1/environments/:envId/groups/:groupId': row(P.UPDATE_GROUP, 'group', 200, async () =>
      call('PUT', `${e()}/groups/${await groupIn(popB)}`, M.JSON, json({ name: unique('renamed') })),
    ),
    'PATCH /v1/environments/:envId/groups/:groupId': row(P.UPDATE_GROUP, 'group', 200, async () =>
      call('PATCH', `${e()}/groups/${await groupIn(popB)}`, M.JSON, json({ description: 'changed' })),
    ),
    'DELETE /v1/environments/:envId/groups/:groupId': row(P.DELETE_GROUP, 'group', 204, async () =>
      call('DELETE', `${e()}/groups/${await groupIn(popB)}`),
    ),
    'POST /v1/environments/:envId/groups/:groupId/memberOfGroups': row(P.UPDATE_GROUP, 'group', 201, async () =>
      call('POST', `${e()}/groups/${await groupIn(popB)}/memberOfGroups`, M.JSON, json({ id: await groupIn() })),
    ),
    'GET /v1/environments/:envId/groups/:groupId/memberOfGroups': row(P.READ_GROUP, 'group', 200, async () =>
      call('GET', `${e()}/groups/${(await nested()).groupId}/memberOfGroups`),
    ),
    'GET /v1/environments/:envId/groups/:groupId/memberOfGroups/:parentGroupId': row(P.READ_GROUP, 'group', 200, async () => {
      const { groupId, parentId } = await nested();
      return call('GET', `${e()}/groups/${groupId}/memberOfGroups/${parentId}`);
    }),
    'DELETE /v1/environments/:envId/groups/:groupId/memberOfGroups/:parentGroupId': row(P.UPDATE_GROUP, 'group', 204, async () => {
      const { groupId, parentId } = await nested();
      return call('DELETE', `${e()}/groups/${groupId}/memberOfGroups/${parentId}`);
    }),
    'POST /v1/environments/:envId/users/:userId/memberOfGroups': row(P.CREATE_GROUP_MEMBERSHIP, 'user', 201, async () =>
      call('POST', `${e()}/users/${await userInB()}/memberOfGroups`, M.JSON, json({ id: await groupIn(popB) })),
    ),
    'GET /v1/environments/:envId/users/:userId/memberOfGroups': row(P.READ_GROUP_MEMBERSHIP, 'user', 200, async () =>
      call('GET', `${e()}/users/${(await member()).userId}/memberOfGroups`),
    ),
    'GET /v1/environments/:envId/users/:userId/memberOfGroups/:groupId': row(P.READ_GROUP_MEMBERSHIP, 'user', 200, async () => {
      const { userId, groupId } = await member();
      return call('GET', `${e()}/users/${userId}/memberOfGroups/${groupId}`);
    }),
    'DELETE /v1/environments/:envId/users/:userId/memberOfGroups/:groupId': row(P.DELETE_GROUP_MEMBERSHIP, 'user', 204, async () => {
      const { userId, groupId } = await member();
      return call('DELETE', `${e()}/users/${userId}/memberOfGroups/${groupId}`);
    }),
    'GET /v1/environments/:envId/users/:userId/roleAssignments': row(P.READ_USER_ROLE_ASSIGNMENT, 'user', 200, async () =>
      call('GET', `${e()}/users/${await userInB()}/roleAssignments`),
    ),
    'POST /v1/environments/:envId/users/:userId/roleAssignments': row(P.CREATE_USER_ROLE_ASSIGNMENT, 'user', 201, async () =>
      call('POST', `${e()}/users/${await userInB()}/roleAssignments`, M.JSON, readOnlyGrant()),
    ),
    'GET /v1/environments/:envId/users/:userId/roleAssignments/:assignmentId': row(P.READ_USER_ROLE_ASSIGNMENT, 'user', 200, async () => {
      const userId = await userInB();
      return call('GET', `${e()}/users/${userId}/roleAssignments/${await assignment('users', userId)}`);
    }),
    'DELETE /v1/environments/:envId/users/:userId/roleAssignments/:assignmentId': row(
      P.DELETE_USER_ROLE_ASSIGNMENT,
      'user',
      204,
      async () => {
        const userId = await userInB();
        return call('DELETE', `${e()}/users/${userId}/roleAssignments/${await assignment('users', userId)}`);
      },
    ),

    // The activity log.
    'GET /v1/environments/:envId/activities': row(P.READ_ACTIVITY, 'users', 200, () =>
      call('GET', `${e()}/activities?filter=${encodeURIComponent(dayWindow())}`),
    ),
    'POST /v1/environments/:envId/activities [application/json]': row(P.READ_ACTIVITY, 'users', 200, () =>
      call('POST', `${e()}/activities`, M.JSON, json({ filter: dayWindow() })),
    ),
    'POST /v1/environments/:envId/activities [application/x-www-form-urlencoded]': row(P.READ_ACTIVITY, 'users', 200, () =>
      call('POST', `${e()}/activities`, M.FORM, new URLSearchParams({ filter: dayWindow() }).toString()),
    ),
    'POST /v1/environments/:envId/activities': row(P.READ_ACTIVITY, 'users', 415, () =>
      call('POST', `${e()}/activities`, UNSUPPORTED, 'filter'),
    ),
    'GET /v1/environments/:envId/activities/:activityId': {
      ...row(P.READ_ACTIVITY, 'users', 200, async () => {
        const userId = await userInB();
        const filter = `${dayWindow()} and resources.id eq "${userId}"`;
        const { body } = await admin()
          .get(`${e()}/activities?filter=${encodeURIComponent(filter)}`)
          .expect(200);
        return call('GET', `${e()}/activities/${body._embedded.activities[0].id}`);
      }),
      scopedStatus: 404,
    },

    // Webhook subscriptions.
    'GET /v1/environments/:envId/subscriptions': row(P.READ_SUBSCRIPTION, 'environment', 200, () => call('GET', `${e()}/subscriptions`)),
    'POST /v1/environments/:envId/subscriptions': row(P.CREATE_SUBSCRIPTION, 'environment', 201, () =>
      call('POST', `${e()}/subscriptions`, M.JSON, subscriptionBody()),
    ),
    'GET /v1/environments/:envId/subscriptions/:subscriptionId': row(P.READ_SUBSCRIPTION, 'environment', 200, async () =>
      call('GET', `${e()}/subscriptions/${await subscription()}`),
    ),
    'PUT /v1/environments/:envId/subscriptions/:subscriptionId': row(P.UPDATE_SUBSCRIPTION, 'environment', 200, async () =>
      call('PUT', `${e()}/subscriptions/${await subscription()}`, M.JSON, subscriptionBody()),
    ),
    'DELETE /v1/environments/:envId/subscriptions/:subscriptionId': row(P.DELETE_SUBSCRIPTION, 'environment', 204, async () =>
      call('DELETE', `${e()}/subscriptions/${await subscription()}`),
    ),
    'GET /v1/environments/:envId/subscriptions/:subscriptionId/deliveryStatus': row(P.READ_SUBSCRIPTION, 'environment', 200, async () =>
      call('GET', `${e()}/subscriptions/${await subscription()}/deliveryStatus`),
    ),
    'POST /v1/environments/:envId/subscriptions/:subscriptionId/signingSecret': row(P.UPDATE_SUBSCRIPTION, 'environment', 200, async () =>
      call('POST', `${e()}/subscriptions/${await subscription()}/signingSecret`, M.JSON, '{}'),
    ),
  };

  const keyOf = (route: { method: string; path: string; mediaType?: string }) =>
    `${route.method} ${route.path}${route.mediaType ? ` [${route.mediaType}]` : ''}`;

  it('has a row for every route the application serves, and no row for a route it does not', () => {
    const served = t.app.get(RouteCatalog).all().map(keyOf).sort();
    expect(served).toEqual(Object.keys(rows).sort());
  });

  /** Tokens that must be refused with 401, each wrong in exactly one way. */
  async function invalidTokens(): Promise<Record<string, string | undefined>> {
    const { kid, key } = await t.app.get(SigningKeysService).signingKey();
    const now = Math.floor(Date.now() / 1000);
    const claims = { client_id: env.clientId, client_name: 'Forged', env: env.environmentId };
    const issuer = `${BASE_URL}/${env.environmentId}/as`;
    const sign = (k: Parameters<SignJWT['sign']>[0], overrides: { aud?: string; iat?: number; exp?: number } = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(env.clientId)
        .setAudience(overrides.aud ?? t.config.tokenAudience)
        .setIssuedAt(overrides.iat ?? now)
        .setExpirationTime(overrides.exp ?? now + 600)
        .sign(k);
    const stranger = await generateKeyPair('ES256', { extractable: true });
    expect((await exportJWK(stranger.publicKey)).kty).toBe('EC');
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return {
      'no token': undefined,
      'a malformed token': 'not.a-jwt',
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: env.clientId, iss: issuer, aud: t.config.tokenAudience, iat: now, exp: now + 600 })}.`,
      'a wrong signature': await sign(stranger.privateKey),
      'an expired token': await sign(key, { iat: now - 7200, exp: now - 3600 }),
      'a wrong audience': await sign(key, { aud: 'https://another-service.example.com' }),
    };
  }

  const send = async (c: Call, token: string | undefined) => {
    let req = t.http[c.method.toLowerCase() as 'get'](c.url);
    if (token !== undefined) req = req.set('Authorization', `Bearer ${token}`);
    if (c.contentType) req = req.set('Content-Type', c.contentType);
    return c.body === undefined ? req : req.send(c.body);
  };

  it('refuses each wrong caller on every route with 401 or 403 and PingOne’s body, and lets the right one through', async () => {
    const bad = await invalidTokens();
    const readOnly = roleByName('Identity Data Read Only')?.permissions as ReadonlySet<Permission>;
    const idAdmin = roleByName('Identity Data Admin')?.permissions as ReadonlySet<Permission>;
    const outcomes: string[] = [];
    const expectations: string[] = [];
    const record = (route: string, caller: string, expected: number, response: { status: number; body: any }) => {
      const code = response.status === 401 ? 'INVALID_TOKEN' : response.status === 403 ? 'INSUFFICIENT_PERMISSIONS' : undefined;
      const bodyOk =
        response.status === 404
          ? response.body?.code === 'NOT_FOUND' && response.body?.details === undefined
          : code === undefined ||
            (response.body?.code === 'ACCESS_FAILED' &&
              response.body?.details?.[0]?.code === code &&
              typeof response.body?.id === 'string');
      outcomes.push(`${route} | ${caller} -> ${response.status}${bodyOk ? '' : ' (not a PingOne body)'}`);
      expectations.push(`${route} | ${caller} -> ${expected}`);
    };

    for (const route of t.app.get(RouteCatalog).all()) {
      const key = keyOf(route);
      const r = rows[key];
      if (!r) continue; // reported by the test above
      const c = await r.call();
      if (r.permission === null) {
        record(key, 'no token (public route)', r.success, await send(c, undefined));
        continue;
      }
      for (const [caller, token] of Object.entries(bad)) record(key, caller, 401, await send(c, token));
      const envScoped = route.path.includes(':envId');
      record(key, 'a token of another environment', envScoped ? 403 : r.success, await send(c, other.token));
      // Success codes of reads are stable; a write is only asserted refused here (it would change the fixture).
      const readerAllowed = readOnly.has(r.permission);
      if (!readerAllowed) record(key, 'the read-only role', 403, await send(c, reader.token));
      // Lists narrow themselves to the caller's populations (and, for groups, the environment's).
      const popReach = r.target === 'users' || r.target === 'groups' || r.target === 'anywhere';
      const popAllowed = idAdmin.has(r.permission) && popReach;
      // A user of another population answers as a user that does not exist: the scoped caller learns nothing of it.
      const popUser = idAdmin.has(r.permission) && r.target === 'user';
      if (popUser) record(key, 'a population-scoped role on a user of population B', r.scopedStatus ?? 404, await send(c, popAdminA.token));
      else if (!popAllowed) record(key, 'a population-scoped role on population B', 403, await send(c, popAdminA.token));
      else record(key, 'a population-scoped role (its own populations only)', r.scopedStatus ?? r.success, await send(c, popAdminA.token));
      if (readerAllowed) record(key, 'the read-only role', r.success, await send(await r.call(), reader.token));
      record(key, 'the right role', r.success, await send(await r.call(), env.token));
    }
    expect(outcomes).toEqual(expectations);
    expect(outcomes.length).toBeGreaterThan(Object.keys(rows).length * 8);
    // About 700 requests, one after the other, plus their fixtures: on two busy cores this outlasts the default minute.
  }, 240_000);
});
