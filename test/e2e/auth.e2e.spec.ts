import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { SigningKeysService } from '../../src/auth/signing-keys.service.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { BASE_URL, createEnvironment, createUser, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

describe('tokens and access', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;
  let other: TestEnvironment;
  let userId: string;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
    other = await createEnvironment(t);
    userId = (await createUser(t, env, { username: 'target@example.com' })).id;
  });
  afterAll(async () => t.close());

  const unlockWith = (authorization?: string, environmentId = env.environmentId) => {
    const req = t.http.post(`/v1/environments/${environmentId}/users/${userId}`).set('Content-Type', MediaTypes.ACCOUNT_UNLOCK);
    return authorization ? req.set('Authorization', authorization) : req;
  };

  /** A token like the service's, signed with the service's own key unless told otherwise. */
  const forge = async (claims: JWTPayload, options: { key?: 'own' | 'foreign' } = {}) => {
    const base = {
      client_id: env.clientId,
      env: env.environmentId,
      iss: `${BASE_URL}/${env.environmentId}/as`,
      aud: BASE_URL,
      sub: env.clientId,
      ...claims,
    };
    const { kid, key } =
      options.key === 'foreign'
        ? { kid: (await t.app.get(SigningKeysService).signingKey()).kid, key: (await generateKeyPair('ES256')).privateKey }
        : await t.app.get(SigningKeysService).signingKey();
    return new SignJWT(base)
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? '5m')
      .sign(key);
  };

  describe('POST /{envID}/as/token', () => {
    it('issues an ES256 bearer token for client_secret_basic', async () => {
      const response = await t.http
        .post(`/${env.environmentId}/as/token`)
        .auth(env.clientId, env.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(200);
      expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String) });
      expect(response.headers['cache-control']).toBe('no-store');
      const header = JSON.parse(Buffer.from(response.body.access_token.split('.')[0], 'base64url').toString());
      expect(header.alg).toBe('ES256');
    });

    it('accepts client_secret_post', async () => {
      await t.http
        .post(`/${env.environmentId}/as/token`)
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: env.clientId, client_secret: env.clientSecret })
        .expect(200);
    });

    it('refuses a wrong secret, an unknown client, and a client of another environment with 401 invalid_client', async () => {
      for (const [envId, id, secret] of [
        [env.environmentId, env.clientId, 'wrong'],
        [env.environmentId, '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d', env.clientSecret],
        [other.environmentId, env.clientId, env.clientSecret],
      ]) {
        const response = await t.http
          .post(`/${envId}/as/token`)
          .auth(id, secret)
          .type('form')
          .send({ grant_type: 'client_credentials' })
          .expect(401);
        expect(response.body.error).toBe('invalid_client');
        expect(JSON.stringify(response.body)).not.toContain(env.clientSecret);
      }
    });

    it('refuses a token request for an environment id that is not a UUID as invalid_client, never a 500', async () => {
      const response = await t.http
        .post('/not-a-uuid/as/token')
        .auth(env.clientId, env.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(401);
      expect(response.body.error).toBe('invalid_client');
    });

    it('refuses other grant types with 400 unsupported_grant_type', async () => {
      const response = await t.http
        .post(`/${env.environmentId}/as/token`)
        .auth(env.clientId, env.clientSecret)
        .type('form')
        .send({ grant_type: 'password' })
        .expect(400);
      expect(response.body.error).toBe('unsupported_grant_type');
    });

    it('publishes the verification key at /{envID}/as/jwks without private parts', async () => {
      const response = await t.http.get(`/${env.environmentId}/as/jwks`).expect(200);
      expect(response.body.keys).toHaveLength(1);
      expect(response.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
      expect(response.body.keys[0]).not.toHaveProperty('d');
    });
  });

  describe('401 for a token that is not valid', () => {
    const expect401 = async (authorization?: string) => {
      const response = await unlockWith(authorization).expect(401);
      expect(response.body).toMatchObject({ code: 'ACCESS_FAILED', details: [{ code: 'INVALID_TOKEN' }] });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    };

    it('no token', async () => expect401());
    it('not a bearer token', async () => expect401(`Basic ${Buffer.from('a:b').toString('base64')}`));
    it('garbage', async () => expect401('Bearer not.a.jwt'));
    it('a bad signature', async () => expect401(`Bearer ${await forge({}, { key: 'foreign' })}`));
    it('an expired token', async () => expect401(`Bearer ${await forge({ exp: Math.floor(Date.now() / 1000) - 60 })}`));
    it('a wrong audience', async () => expect401(`Bearer ${await forge({ aud: 'https://api.pingone.com' })}`));
    it('a wrong issuer', async () => expect401(`Bearer ${await forge({ iss: 'https://evil.example/as' })}`));
    it('alg: none', async () => {
      const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        client_id: env.clientId,
        env: env.environmentId,
        iss: `${BASE_URL}/${env.environmentId}/as`,
        aud: BASE_URL,
        sub: env.clientId,
        iat: now,
        exp: now + 300,
      };
      await expect401(`Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`);
    });
    it('a tampered payload', async () => {
      const [h, , s] = env.token.split('.');
      const payload = Buffer.from(JSON.stringify({ env: other.environmentId, client_id: 'x' })).toString('base64url');
      await expect401(`Bearer ${h}.${payload}.${s}`);
    });
    it('an HS256 token keyed with the public key (algorithm confusion)', async () => {
      const jwk = await exportJWK((await generateKeyPair('ES256')).publicKey);
      const secret = new TextEncoder().encode(JSON.stringify(jwk));
      const token = await new SignJWT({ client_id: env.clientId, env: env.environmentId })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(`${BASE_URL}/${env.environmentId}/as`)
        .setAudience(BASE_URL)
        .setSubject(env.clientId)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(secret);
      await expect401(`Bearer ${token}`);
    });
  });

  describe('403 outside the token’s environment', () => {
    it('another existing environment', async () => {
      const response = await api.get(usersPath(other)).expect(403);
      expect(response.body).toMatchObject({ code: 'ACCESS_FAILED', details: [{ code: 'INSUFFICIENT_PERMISSIONS' }] });
    });

    it('an environment that does not exist (403, not 404)', async () => {
      await unlockWith(`Bearer ${env.token}`, '00000000-0000-4000-8000-00000000abcd').expect(403);
    });

    it("another environment's user, by id, through every verb", async () => {
      const path = `${usersPath(other)}/${userId}`;
      const otherApi = t.as(other.token);
      await otherApi.get(`${usersPath(env)}/${userId}`).expect(403);
      // In its own environment the other token cannot see the user either: it does not exist there.
      await otherApi.get(path).expect(404);
      await otherApi.post(path).set('Content-Type', MediaTypes.ACCOUNT_UNLOCK).expect(404);
      await otherApi.delete(path).expect(404);
    });
  });
});
