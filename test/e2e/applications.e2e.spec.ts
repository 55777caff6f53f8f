import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Access } from '../../src/common/authorization/access.js';
import { RoleAssignmentsRepository } from '../../src/access/role-assignments.repository.js';
import { ENVIRONMENT_ADMIN, roleByName } from '../../src/common/authorization/roles.js';
import { ApplicationSecretsService } from '../../src/applications/application-secrets.service.js';
import { InsufficientPermissions } from '../../src/common/errors/domain-error.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { BASE_URL, createEnvironment, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

const appsPath = (env: { environmentId: string }) => `/v1/environments/${env.environmentId}/applications`;
const WORKER = { type: 'WORKER', protocol: 'OPENID_CONNECT' };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('applications API', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
  });
  afterAll(async () => t.close());

  const prisma = () => t.app.get(PrismaService);
  const createApp = async (body: Record<string, unknown> = {}, target: TestEnvironment = env): Promise<Record<string, any>> =>
    (
      await t
        .as(target.token)
        .post(appsPath(target))
        .send({ name: `app-${randomUUID()}`, ...WORKER, ...body })
        .expect(201)
    ).body;
  const secretPath = (appId: string, target: TestEnvironment = env) => `${appsPath(target)}/${appId}/secret`;
  const readSecret = async (appId: string): Promise<Record<string, any>> => (await api.get(secretPath(appId)).expect(200)).body;
  const rotate = (appId: string, body?: object) => {
    const req = api.post(secretPath(appId)).set('Content-Type', MediaTypes.JSON);
    return body ? req.send(JSON.stringify(body)) : req;
  };
  const requestToken = (clientId: string, secret: string, environmentId = env.environmentId) =>
    t.http.post(`/${environmentId}/as/token`).auth(clientId, secret).type('form').send({ grant_type: 'client_credentials' });
  const tokenOf = async (clientId: string, secret: string): Promise<string> =>
    (await requestToken(clientId, secret).expect(200)).body.access_token;
  const storedRow = async (id: string) => prisma().application.findUniqueOrThrow({ where: { id }, omit: { clientSecretHash: false } });
  /** An application of `env` with a working token and the given role over the environment. */
  const appWithRole = async (roleId: string) => {
    const app = await createApp();
    await t.app.get(RoleAssignmentsRepository).create({
      id: randomUUID(),
      environmentId: env.environmentId,
      subject: { type: 'APPLICATION', id: app.id },
      roleId,
      scope: { type: 'ENVIRONMENT', id: env.environmentId },
    });
    const { secret } = await readSecret(app.id);
    return { id: app.id as string, secret: secret as string, token: await tokenOf(app.id, secret) };
  };

  describe('create, read, list, replace, delete', () => {
    it('creates a worker (201) in PingOne shape with absolute links, and reads it back unchanged', async () => {
      const created = await createApp({ name: 'Reporting worker', description: 'Nightly exports' });
      const self = `${BASE_URL}${appsPath(env)}/${created.id}`;
      expect(created).toEqual({
        _links: {
          self: { href: self },
          environment: { href: `${BASE_URL}/v1/environments/${env.environmentId}` },
          secret: { href: `${self}/secret` },
          roleAssignments: { href: `${self}/roleAssignments` },
        },
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        environment: { id: env.environmentId },
        name: 'Reporting worker',
        description: 'Nightly exports',
        enabled: true,
        type: 'WORKER',
        protocol: 'OPENID_CONNECT',
        tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
        grantTypes: ['CLIENT_CREDENTIALS'],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const read = await api.get(`${appsPath(env)}/${created.id}`).expect(200);
      expect(read.body).toEqual(created);
    });

    it('accepts enabled false, and PingOne’s tokenEndpointAuthMethod and grantTypes for a worker', async () => {
      const created = await createApp({
        enabled: false,
        tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
        grantTypes: ['CLIENT_CREDENTIALS'],
      });
      expect(created.enabled).toBe(false);
      expect(created).not.toHaveProperty('description');
    });

    it('lists the environment’s applications, and only them', async () => {
      const own = await createEnvironment(t);
      const a = await createApp({ name: 'list-a' }, own);
      const b = await createApp({ name: 'list-b' }, own);
      const response = await t.as(own.token).get(appsPath(own)).expect(200);
      expect(response.body).toMatchObject({ count: 3, size: 3, _links: { self: { href: `${BASE_URL}${appsPath(own)}` } } });
      const listed = response.body._embedded.applications as Record<string, any>[];
      expect(listed.map((app) => app.name)).toEqual(['Bootstrap Admin Worker', 'list-a', 'list-b']);
      expect(listed[1]).toEqual(a);
      expect(listed[2]).toEqual(b);
      const other = await api.get(appsPath(env)).expect(200);
      expect(other.body._embedded.applications.map((app: any) => app.id)).not.toContain(a.id);
    });

    it('PUT replaces name, description and enabled (an omitted description is cleared)', async () => {
      const created = await createApp({ name: 'before', description: 'old' });
      const response = await api
        .put(`${appsPath(env)}/${created.id}`)
        .send({ name: 'after', enabled: false, ...WORKER })
        .expect(200);
      expect(response.body).toMatchObject({ id: created.id, name: 'after', enabled: false, createdAt: created.createdAt });
      expect(response.body).not.toHaveProperty('description');
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      const read = await api.get(`${appsPath(env)}/${created.id}`).expect(200);
      expect(read.body).toEqual(response.body);
    });

    it('PUT still requires a worker', async () => {
      const created = await createApp({ name: 'stays a worker' });
      const response = await api
        .put(`${appsPath(env)}/${created.id}`)
        .send({ name: 'spa', type: 'SINGLE_PAGE_APP', protocol: 'OPENID_CONNECT' })
        .expect(400);
      expect(response.body).toMatchObject({
        code: 'INVALID_DATA',
        details: [{ code: 'INVALID_VALUE', target: 'type', innerError: { allowedValues: ['WORKER'] } }],
      });
      expect((await api.get(`${appsPath(env)}/${created.id}`).expect(200)).body.name).toBe('stays a worker');
    });

    it('deletes an application (204), after which it is 404', async () => {
      const created = await createApp();
      await api.delete(`${appsPath(env)}/${created.id}`).expect(204);
      await api.get(`${appsPath(env)}/${created.id}`).expect(404);
      await api.delete(`${appsPath(env)}/${created.id}`).expect(404);
      expect(await prisma().application.count({ where: { id: created.id } })).toBe(0);
    });

    it('answers 404 NOT_FOUND for an unknown id on every route, and 400 for a malformed one', async () => {
      const unknown = `${appsPath(env)}/${randomUUID()}`;
      const responses = await Promise.all([
        api.get(unknown),
        api.put(unknown).send({ name: 'x', ...WORKER }),
        api.delete(unknown),
        api.get(`${unknown}/secret`),
        api.post(`${unknown}/secret`).set('Content-Type', MediaTypes.JSON),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('NOT_FOUND');
      }
      const malformed = await api.get(`${appsPath(env)}/not-a-uuid`).expect(400);
      expect(malformed.body).toMatchObject({ code: 'INVALID_DATA', details: [{ target: 'appId' }] });
    });

    it('never puts a secret, its hash or its ciphertext in an application body', async () => {
      const created = await createApp({ name: 'no secrets here' });
      const replaced = await api
        .put(`${appsPath(env)}/${created.id}`)
        .send({ name: 'still none', ...WORKER })
        .expect(200);
      const read = await api.get(`${appsPath(env)}/${created.id}`).expect(200);
      const listed = await api.get(appsPath(env)).expect(200);
      const { secret } = await readSecret(created.id);
      const row = await storedRow(created.id);
      expect(row.clientSecretCiphertext).toEqual(expect.any(String));
      for (const body of [created, replaced.body, read.body, listed.body]) {
        const text = JSON.stringify(body);
        expect(text).not.toContain(secret);
        expect(text).not.toContain(row.clientSecretHash);
        expect(text).not.toContain(row.clientSecretCiphertext);
        expect(text).not.toMatch(/"(clientSecret|secret|clientSecretHash|clientSecretCiphertext|previous)"\s*:\s*"/i);
      }
    });
  });

  describe('validation', () => {
    it.each([
      ['a missing name', { ...WORKER }, 'REQUIRED_VALUE', 'name'],
      ['an empty name', { name: '', ...WORKER }, 'INVALID_VALUE', 'name'],
      ['a name over 256 characters', { name: 'x'.repeat(257), ...WORKER }, 'INVALID_VALUE', 'name'],
      ['a description over 1024 characters', { name: 'x', description: 'd'.repeat(1025), ...WORKER }, 'INVALID_VALUE', 'description'],
      ['a missing type', { name: 'x', protocol: 'OPENID_CONNECT' }, 'REQUIRED_VALUE', 'type'],
      ['a type other than WORKER', { name: 'x', type: 'SINGLE_PAGE_APP', protocol: 'OPENID_CONNECT' }, 'INVALID_VALUE', 'type'],
      ['a protocol other than OPENID_CONNECT', { name: 'x', type: 'WORKER', protocol: 'SAML' }, 'INVALID_VALUE', 'protocol'],
      ['a non-boolean enabled', { name: 'x', enabled: 'yes', ...WORKER }, 'INVALID_VALUE', 'enabled'],
      ['a null enabled', { name: 'x', enabled: null, ...WORKER }, 'INVALID_VALUE', 'enabled'],
      [
        'another token endpoint auth method',
        { name: 'x', tokenEndpointAuthMethod: 'NONE', ...WORKER },
        'INVALID_VALUE',
        'tokenEndpointAuthMethod',
      ],
      ['another grant type', { name: 'x', grantTypes: ['AUTHORIZATION_CODE'], ...WORKER }, 'INVALID_VALUE', 'grantTypes'],
      ['a read-only attribute', { name: 'x', id: randomUUID(), ...WORKER }, 'INVALID_VALUE', 'id'],
      ['a secret in the body', { name: 'x', clientSecret: 'chosen', ...WORKER }, 'INVALID_VALUE', 'clientSecret'],
    ])('refuses %s with 400 INVALID_DATA and creates nothing', async (_, body, code, target) => {
      const before = await prisma().application.count({ where: { environmentId: env.environmentId } });
      const response = await api.post(appsPath(env)).send(body).expect(400);
      expect(response.body).toMatchObject({
        code: 'INVALID_DATA',
        message: expect.any(String),
        details: expect.arrayContaining([expect.objectContaining({ code, target })]),
      });
      expect(typeof response.body.id).toBe('string');
      expect(await prisma().application.count({ where: { environmentId: env.environmentId } })).toBe(before);
    });

    it('names the allowed values of type and protocol, and the range of name', async () => {
      const type = await api.post(appsPath(env)).send({ name: 'x', type: 'NATIVE_APP', protocol: 'OPENID_CONNECT' }).expect(400);
      expect(type.body.details).toEqual([
        expect.objectContaining({ target: 'type', innerError: { allowedValues: ['WORKER'] }, message: expect.stringContaining('WORKER') }),
      ]);
      const protocol = await api.post(appsPath(env)).send({ name: 'x', type: 'WORKER', protocol: 'SAML' }).expect(400);
      expect(protocol.body.details).toEqual([
        expect.objectContaining({ target: 'protocol', innerError: { allowedValues: ['OPENID_CONNECT'] } }),
      ]);
      const name = await api
        .post(appsPath(env))
        .send({ name: '', ...WORKER })
        .expect(400);
      expect(name.body.details[0].innerError).toEqual({ rangeMinimumValue: 1, rangeMaximumValue: 256 });
    });

    it('answers 415 INVALID_REQUEST for a Content-Type other than application/json on POST, PUT and rotation', async () => {
      const created = await createApp();
      const responses = await Promise.all([
        api
          .post(appsPath(env))
          .set('Content-Type', 'text/plain')
          .send(JSON.stringify({ name: 'x', ...WORKER })),
        api
          .put(`${appsPath(env)}/${created.id}`)
          .set('Content-Type', 'application/xml')
          .send('<name>x</name>'),
        api.post(secretPath(created.id)).set('Content-Type', MediaTypes.FORM).send('previous=1'),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(415);
        expect(response.body).toMatchObject({
          code: 'INVALID_REQUEST',
          details: [{ innerError: { allowedValues: [MediaTypes.JSON] } }],
        });
      }
      expect((await api.get(`${appsPath(env)}/${created.id}`).expect(200)).body.name).toBe(created.name);
    });
  });

  describe('the secret', () => {
    it('reads back a secret that gets a token, never cached, stored encrypted', async () => {
      const created = await createApp();
      const response = await api.get(secretPath(created.id)).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        _links: {
          self: { href: `${BASE_URL}${secretPath(created.id)}` },
          application: { href: `${BASE_URL}${appsPath(env)}/${created.id}` },
        },
        environment: { id: env.environmentId },
        secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      const secret = response.body.secret as string;
      const token = await tokenOf(created.id, secret);
      expect(token.split('.')).toHaveLength(3);

      const row = await storedRow(created.id);
      expect(row.clientSecretHash).toBe(sha256(secret));
      expect(row.clientSecretCiphertext).toMatch(/^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row.clientSecretCiphertext).not.toContain(secret);
      expect(row.clientSecretCiphertext).not.toContain(Buffer.from(secret).toString('base64url'));
    });

    it('rotates: the new secret works, the old one until previous.expiresAt, then not', async () => {
      const created = await createApp();
      const old = (await readSecret(created.id)).secret as string;
      const expiresAt = new Date(Date.now() + 10 * 60_000);
      const rotated = await rotate(created.id, { previous: { expiresAt: expiresAt.toISOString() } }).expect(200);
      expect(rotated.headers['cache-control']).toBe('no-store');
      expect(rotated.body).toEqual({
        _links: {
          self: { href: `${BASE_URL}${secretPath(created.id)}` },
          application: { href: `${BASE_URL}${appsPath(env)}/${created.id}` },
        },
        environment: { id: env.environmentId },
        secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        previous: { secret: old, expiresAt: expiresAt.toISOString() },
      });
      const fresh = rotated.body.secret as string;
      expect(fresh).not.toBe(old);
      await tokenOf(created.id, fresh);

      await tokenOf(created.id, old);
      const afterUse = await readSecret(created.id);
      expect(afterUse).toMatchObject({
        secret: fresh,
        previous: { secret: old, expiresAt: expiresAt.toISOString(), lastUsed: expect.any(String) },
      });
      expect(Date.parse(afterUse.previous.lastUsed)).toBeLessThanOrEqual(Date.now());

      // Move the clock past the grace: the expiry is what the token endpoint reads.
      await prisma().application.update({ where: { id: created.id }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
      const refused = await requestToken(created.id, old).expect(401);
      expect(refused.body.error).toBe('invalid_client');
      expect(await readSecret(created.id)).not.toHaveProperty('previous');
      await tokenOf(created.id, fresh);
    });

    it('keeps the previous secret for the configured grace period when the body names no expiry', async () => {
      const created = await createApp();
      const old = (await readSecret(created.id)).secret as string;
      const before = Date.now();
      const rotated = await rotate(created.id).expect(200);
      const grace = t.config.clientSecretGraceSeconds * 1000;
      expect(grace).toBeGreaterThan(0);
      expect(rotated.body.previous.secret).toBe(old);
      const expiresAt = Date.parse(rotated.body.previous.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + grace - 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + grace);
      // An empty JSON object means the same.
      const again = await rotate(created.id, {}).expect(200);
      expect(again.body.previous.secret).toBe(rotated.body.secret);
    });

    it.each([
      ['less than a minute ahead', () => new Date(Date.now() + 30_000).toISOString(), 'OUT_OF_RANGE'],
      ['in the past', () => new Date(Date.now() - 60_000).toISOString(), 'OUT_OF_RANGE'],
      ['more than 30 days ahead', () => new Date(Date.now() + 31 * 86_400_000).toISOString(), 'OUT_OF_RANGE'],
      ['not a date', () => 'tomorrow', 'INVALID_VALUE'],
    ])('refuses a previous.expiresAt %s (400) and leaves the secret as it was', async (_, expiresAt, code) => {
      const created = await createApp();
      const before = await readSecret(created.id);
      const response = await rotate(created.id, { previous: { expiresAt: expiresAt() } }).expect(400);
      expect(response.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code, target: 'previous.expiresAt' }] });
      expect(await readSecret(created.id)).toEqual(before);
    });

    it('10 concurrent rotations: every one succeeds, each previous is the secret before it, none is lost', async () => {
      const created = await createApp();
      const original = (await readSecret(created.id)).secret as string;
      const responses = await Promise.all(Array.from({ length: 10 }, () => rotate(created.id)));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      const secrets = responses.map((r) => r.body.secret as string);
      expect(new Set(secrets).size).toBe(10);
      // The rotations form one chain original → s1 → … → s10: each response's previous is a distinct secret.
      const previous = responses.map((r) => r.body.previous.secret as string);
      expect(new Set(previous).size).toBe(10);
      expect(previous).toContain(original);
      expect(previous.filter((p) => secrets.includes(p))).toHaveLength(9);

      const now = await readSecret(created.id);
      expect(secrets.filter((s) => s === now.secret)).toHaveLength(1);
      expect(previous).not.toContain(now.secret);
      expect(secrets).toContain(now.previous.secret);
      const row = await storedRow(created.id);
      expect(row.clientSecretHash).toBe(sha256(now.secret));
      expect(row.previousSecretHash).toBe(sha256(now.previous.secret));

      const accepted = await Promise.all([original, ...secrets].map(async (s) => (await requestToken(created.id, s)).status === 200));
      expect(accepted.filter(Boolean)).toHaveLength(2);
    });

    it('asks to rotate a secret stored before ciphertexts existed (400 REQUEST_FAILED), and rotation fixes it', async () => {
      const created = await createApp();
      const old = (await readSecret(created.id)).secret as string;
      await prisma().application.update({ where: { id: created.id }, data: { clientSecretCiphertext: null } });
      const refused = await api.get(secretPath(created.id)).expect(400);
      expect(refused.body).toMatchObject({
        code: 'REQUEST_FAILED',
        details: [{ target: 'secret', message: expect.stringMatching(/rotate/i) }],
      });
      await tokenOf(created.id, old);

      const rotated = await rotate(created.id).expect(200);
      // The old secret had no ciphertext to show; it still works until the grace ends.
      expect(rotated.body).not.toHaveProperty('previous');
      expect(await readSecret(created.id)).toEqual(rotated.body);
      await tokenOf(created.id, rotated.body.secret);
      await tokenOf(created.id, old);
    });
  });

  describe('disabling and deleting take effect at once', () => {
    it('a disabled application gets no token and its existing token is refused (403)', async () => {
      const other = await appWithRole(ENVIRONMENT_ADMIN.id);
      // Resolves and caches the application's grants.
      await t.as(other.token).get(usersPath(env)).expect(200);
      await api
        .put(`${appsPath(env)}/${other.id}`)
        .send({ name: 'disabled', enabled: false, ...WORKER })
        .expect(200);
      const refused = await t.as(other.token).get(usersPath(env)).expect(403);
      expect(refused.body.code).toBe('ACCESS_FAILED');
      expect((await requestToken(other.id, other.secret).expect(401)).body.error).toBe('invalid_client');

      await api
        .put(`${appsPath(env)}/${other.id}`)
        .send({ name: 'enabled again', ...WORKER })
        .expect(200);
      await t.as(other.token).get(usersPath(env)).expect(200);
    });

    it('a deleted application gets no token and its existing token is refused (403); its role assignments go with it', async () => {
      const other = await appWithRole(ENVIRONMENT_ADMIN.id);
      await t.as(other.token).get(usersPath(env)).expect(200);
      await api.delete(`${appsPath(env)}/${other.id}`).expect(204);
      await t.as(other.token).get(usersPath(env)).expect(403);
      expect((await requestToken(other.id, other.secret).expect(401)).body.error).toBe('invalid_client');
      expect(await prisma().roleAssignment.count({ where: { applicationId: other.id } })).toBe(0);
    });

    it('an application cannot delete or disable itself (400 REQUEST_FAILED), whatever the case of its id', async () => {
      for (const id of [env.clientId, env.clientId.toUpperCase()]) {
        const disable = await api
          .put(`${appsPath(env)}/${id}`)
          .send({ name: 'me', enabled: false, ...WORKER })
          .expect(400);
        expect(disable.body).toMatchObject({
          code: 'REQUEST_FAILED',
          details: [{ target: 'enabled', message: expect.stringContaining('cannot disable itself') }],
        });
        const remove = await api.delete(`${appsPath(env)}/${id}`).expect(400);
        expect(remove.body).toMatchObject({
          code: 'REQUEST_FAILED',
          details: [{ message: expect.stringContaining('cannot delete itself') }],
        });
      }
      const self = await api.get(`${appsPath(env)}/${env.clientId}`).expect(200);
      expect(self.body).toMatchObject({ enabled: true, name: 'Bootstrap Admin Worker' });
      await api.get(usersPath(env)).expect(200);
    });

    it('an application may rename itself', async () => {
      const app = await appWithRole(ENVIRONMENT_ADMIN.id);
      const renamed = await t
        .as(app.token)
        .put(`${appsPath(env)}/${app.id}`)
        .send({ name: 'renamed by itself', ...WORKER })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'renamed by itself', enabled: true });
    });
  });

  describe('who may manage applications', () => {
    it('refuses another environment’s token (403), even for the secret, and hides the application from its own environment (404)', async () => {
      const created = await createApp();
      const stranger = await createEnvironment(t);
      const paths = [`${appsPath(env)}/${created.id}`, secretPath(created.id), appsPath(env)];
      for (const path of paths) {
        const response = await t.as(stranger.token).get(path).expect(403);
        expect(response.body.code).toBe('ACCESS_FAILED');
      }
      await t.as(stranger.token).post(secretPath(created.id)).set('Content-Type', MediaTypes.JSON).expect(403);
      await t
        .as(stranger.token)
        .get(`${appsPath(stranger)}/${created.id}`)
        .expect(404);
      await t.as(stranger.token).get(secretPath(created.id, stranger)).expect(404);
    });

    it('refuses every application route (403) to an application that is not Environment Admin', async () => {
      const identityAdmin = roleByName('Identity Data Admin');
      if (!identityAdmin) throw new Error('built-in role missing');
      const limited = await appWithRole(identityAdmin.id);
      await t.as(limited.token).get(usersPath(env)).expect(200);
      const target = `${appsPath(env)}/${limited.id}`;
      const responses = await Promise.all([
        t.as(limited.token).get(appsPath(env)),
        t
          .as(limited.token)
          .post(appsPath(env))
          .send({ name: 'escalate', ...WORKER }),
        t.as(limited.token).get(target),
        t
          .as(limited.token)
          .put(target)
          .send({ name: 'x', ...WORKER }),
        t.as(limited.token).delete(`${appsPath(env)}/${env.clientId}`),
        t.as(limited.token).get(`${appsPath(env)}/${env.clientId}/secret`),
        t
          .as(limited.token)
          .post(`${appsPath(env)}/${env.clientId}/secret`)
          .set('Content-Type', MediaTypes.JSON),
        t.as(limited.token).get(`${target}/secret`),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ code: 'ACCESS_FAILED', details: [{ code: 'INSUFFICIENT_PERMISSIONS' }] });
      }
      // The admin's secret was neither read nor rotated.
      await tokenOf(env.clientId, env.clientSecret);
      expect((await storedRow(env.clientId)).previousSecretHash).toBeNull();
    });

    it('refuses (403) to read or rotate the secret of an application holding a role the caller does not cover', async () => {
      // No built-in role but Environment Admin holds the secret permissions, so only a caller built
      // by hand can have them without covering everything: the service applies the rule itself.
      const identityAdmin = roleByName('Identity Data Admin');
      if (!identityAdmin) throw new Error('built-in role missing');
      const environmentScope = { type: 'ENVIRONMENT' as const, id: env.environmentId };
      const caller = new Access(env.environmentId, [{ roleId: identityAdmin.id, scope: environmentScope }]);
      const secrets = t.app.get(ApplicationSecretsService);
      const admin = await appWithRole(ENVIRONMENT_ADMIN.id);
      await expect(secrets.read(env.environmentId, admin.id, caller)).rejects.toBeInstanceOf(InsufficientPermissions);
      const context = {
        correlationId: 'covers-test',
        principal: {
          clientId: 'hand-built',
          clientName: 'hand-built',
          environmentId: env.environmentId,
          grants: { from: 'token' as const, grants: [] },
        },
      };
      await expect(secrets.rotate(env.environmentId, admin.id, undefined, caller, context)).rejects.toBeInstanceOf(InsufficientPermissions);
      expect((await storedRow(admin.id)).clientSecretHash).toBe(sha256(admin.secret));

      const peer = await appWithRole(identityAdmin.id);
      await expect(secrets.read(env.environmentId, peer.id, caller)).resolves.toMatchObject({ secret: peer.secret });
    });

    it('lets an Environment Admin read the secret of another Environment Admin', async () => {
      const peer = await appWithRole(ENVIRONMENT_ADMIN.id);
      const read = await t
        .as(peer.token)
        .get(`${appsPath(env)}/${env.clientId}/secret`)
        .expect(200);
      expect(read.body.secret).toBe(env.clientSecret);
    });
  });
});

describe('applications API with CLIENT_SECRET_GRACE_SECONDS=0', () => {
  let t: TestApp;
  let env: TestEnvironment;

  beforeAll(async () => {
    t = await startApp({ clientSecretGraceSeconds: 0 });
    env = await createEnvironment(t);
  });
  afterAll(async () => t.close());

  it('a rotation without an expiry keeps no previous secret: the old one stops at once', async () => {
    const created = (
      await t
        .as(env.token)
        .post(appsPath(env))
        .send({ name: 'no grace', ...WORKER })
        .expect(201)
    ).body;
    const path = `${appsPath(env)}/${created.id}/secret`;
    const old = (await t.as(env.token).get(path).expect(200)).body.secret as string;
    const rotated = await t.as(env.token).post(path).set('Content-Type', MediaTypes.JSON).expect(200);
    expect(rotated.body).not.toHaveProperty('previous');
    const token = (secret: string) =>
      t.http.post(`/${env.environmentId}/as/token`).auth(created.id, secret).type('form').send({ grant_type: 'client_credentials' });
    await token(old).expect(401);
    await token(rotated.body.secret).expect(200);
    const row = await t.app.get(PrismaService).application.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ previousSecretCiphertext: null, previousSecretExpiresAt: null });
  });
});
