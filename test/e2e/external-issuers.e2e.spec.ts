import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { roleByName } from '../../src/common/authorization/roles.js';
import { ERROR_MAP } from '../../src/common/errors/error-map.js';
import { type TrustedIssuer, trustedIssuersSchema } from '../../src/config/trusted-issuers.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import { createEnvironment, restartWith, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

/** Long enough that a burst of requests fits inside it on a busy machine, short enough to wait out. */
const COOLDOWN_MS = 2000;
const TIMEOUT_MS = 1000;
const AUDIENCE = 'urn:identity-user-service:e2e';
const ROLES_ISSUER = 'https://idp.example.test/roles';
const APPS_ISSUER = 'https://idp.example.test/apps';
const ES_ONLY_ISSUER = 'https://idp.example.test/es-only';
const FLAKY_ISSUER = 'https://idp.example.test/flaky';
const USERS_ISSUER = 'https://idp.example.test/users';

interface Signer {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
  spki: string;
}

async function newSigner(alg: Signer['alg'], kid: string = randomUUID()): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' }, spki: await exportSPKI(publicKey) };
}

/**
 * An identity provider's JWKS endpoint: `/jwks` serves `keys`; `/flaky` serves them only while
 * `flakyUp`; the other paths fail the ways a real one does. Counts the requests of each path.
 */
class JwksServer {
  keys: JWK[] = [];
  flakyUp = false;
  private readonly counts = new Map<string, number>();
  private readonly hanging: ServerResponse[] = [];
  private readonly server = createServer((req, res) => {
    const path = req.url ?? '';
    this.counts.set(path, this.fetches(path) + 1);
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    switch (path) {
      case '/jwks':
        return json({ keys: this.keys });
      case '/flaky':
        return this.flakyUp ? json({ keys: this.keys }) : res.writeHead(502).end();
      case '/status-500':
        return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down"}');
      case '/not-json':
        return res.writeHead(200, { 'content-type': 'application/json' }).end('<html>maintenance</html>');
      case '/not-a-key-set':
        return json({ issuer: 'https://idp.example.test' });
      case '/hang':
        this.hanging.push(res);
        return;
      default:
        return res.writeHead(404).end();
    }
  });

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  fetches(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

/** A port nothing listens on: one the system just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('tokens of trusted external issuers', () => {
  const idp = new JwksServer();
  let t: TestApp;
  let env: TestEnvironment;
  let other: TestEnvironment;
  let rsa: Signer;
  let ec: Signer;

  /** What a well-behaved identity provider would issue; a claim set to undefined is left out. */
  const mint = (claims: JWTPayload = {}, signer: Signer = rsa, header: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: ROLES_ISSUER,
      aud: AUDIENCE,
      sub: 'alice@corp.example',
      iat: now,
      exp: now + 300,
      groups: ['idm-admins'],
      ...claims,
    };
    return new SignJWT(payload).setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT', ...header }).sign(signer.privateKey);
  };

  const listUsers = (token: string, environmentId = env.environmentId) => t.as(token).get(usersPath({ environmentId }));

  const createUser = (token: string, username: string) =>
    t.as(token).post(usersPath(env)).set('Content-Type', MediaTypes.JSON).send({ username });

  const expectInvalidToken = (body: unknown) =>
    expect(body).toEqual({
      id: expect.any(String),
      code: 'ACCESS_FAILED',
      message: ERROR_MAP.INVALID_TOKEN.message,
      details: [expect.objectContaining({ code: 'INVALID_TOKEN' })],
    });

  const expectForbidden = (body: unknown) =>
    expect(body).toEqual({
      id: expect.any(String),
      code: 'ACCESS_FAILED',
      message: ERROR_MAP.INSUFFICIENT_PERMISSIONS.message,
      details: [expect.objectContaining({ code: 'INSUFFICIENT_PERMISSIONS' })],
    });

  beforeAll(async () => {
    await idp.start();
    [rsa, ec] = await Promise.all([newSigner('RS256'), newSigner('ES256')]);
    idp.keys = [rsa.jwk, ec.jwk];

    // Trusted issuers name their environment in the configuration, so it must exist before the
    // app that trusts them starts.
    let trustedIssuers: TrustedIssuer[] = [];
    ({ t } = await restartWith(
      async (setup) => {
        env = await createEnvironment(setup);
        other = await createEnvironment(setup);
        const issuer = (iss: string, jwksUri: string, rest: Record<string, unknown> = {}) => ({
          issuer: iss,
          jwksUri,
          audience: ['urn:some-other-api', AUDIENCE],
          environmentId: env.environmentId,
          roles: {
            claim: 'groups',
            map: {
              'idm-admins': [{ role: 'Environment Admin' }],
              'idm-readers': [{ role: 'Identity Data Read Only' }],
            },
          },
          ...rest,
        });
        const port = await closedPort();
        trustedIssuers = trustedIssuersSchema.parse([
          issuer(ROLES_ISSUER, idp.url('/jwks'), { nameClaim: 'preferred_username' }),
          { ...issuer(APPS_ISSUER, idp.url('/jwks'), { applicationClaim: 'azp' }), roles: undefined },
          { ...issuer(USERS_ISSUER, idp.url('/jwks'), { userClaim: { claim: 'preferred_username' } }), roles: undefined },
          issuer(ES_ONLY_ISSUER, idp.url('/jwks'), { algorithms: ['ES256'] }),
          issuer(FLAKY_ISSUER, idp.url('/flaky')),
          issuer('https://idp.example.test/closed-port', `http://127.0.0.1:${port}/jwks`),
          issuer('https://idp.example.test/status-500', idp.url('/status-500')),
          issuer('https://idp.example.test/not-json', idp.url('/not-json')),
          issuer('https://idp.example.test/not-a-key-set', idp.url('/not-a-key-set')),
          issuer('https://idp.example.test/hang', idp.url('/hang')),
        ]);
      },
      () => ({ trustedIssuers, jwksCooldownMs: COOLDOWN_MS, jwksTimeoutMs: TIMEOUT_MS }),
    ));
  });

  afterAll(async () => {
    await t?.close();
    await idp.stop();
  });

  describe('mapping claims to access', () => {
    it('gives a group mapped to Environment Admin the users API: list 200, create 201', async () => {
      const token = await mint({ groups: ['unrelated', 'idm-admins'] });
      await listUsers(token).expect(200);
      const created = await createUser(token, 'x@example.com').expect(201);
      expect(created.body).toMatchObject({ username: 'x@example.com', environment: { id: env.environmentId } });
    });

    it('gives a group mapped to Identity Data Read Only reads but not writes (the claim as a space-separated string)', async () => {
      const token = await mint({ groups: 'unrelated idm-readers' });
      await listUsers(token).expect(200);
      const response = await createUser(token, 'not-created@example.com').expect(403);
      expectForbidden(response.body);
    });

    it('authenticates a token whose groups map to nothing, and then refuses it with 403', async () => {
      for (const groups of [['nobody'], [], ['constructor', 'toString'], undefined]) {
        const response = await listUsers(await mint({ groups })).expect(403);
        expectForbidden(response.body);
      }
    });

    it("gives a token naming the environment's admin application that application's role assignments", async () => {
      await listUsers(await mint({ iss: APPS_ISSUER, azp: env.clientId, groups: undefined })).expect(200);
      await listUsers(await mint({ iss: APPS_ISSUER, azp: env.clientId.toUpperCase(), groups: undefined })).expect(200);
    });

    it('refuses with 403 a token naming an application that does not exist, or that belongs to another environment', async () => {
      for (const azp of [randomUUID(), other.clientId]) {
        const response = await listUsers(await mint({ iss: APPS_ISSUER, azp })).expect(403);
        expectForbidden(response.body);
      }
    });

    it('refuses with 401 a token whose application claim is missing or not an application id', async () => {
      for (const azp of [undefined, 'ops-console', 42]) {
        const response = await listUsers(await mint({ iss: APPS_ISSUER, azp })).expect(401);
        expectInvalidToken(response.body);
      }
    });

    it("refuses with 403 a trusted issuer's token on another environment, whatever environment the token claims", async () => {
      for (const claims of [{}, { env: other.environmentId }]) {
        const response = await listUsers(await mint(claims), other.environmentId).expect(403);
        expectForbidden(response.body);
      }
      await listUsers(await mint({ env: other.environmentId })).expect(200);
    });

    describe('a claim naming a user: that user’s role assignments apply', () => {
      const admin = () => t.as(env.token);
      const userToken = (username: unknown) => mint({ iss: USERS_ISSUER, preferred_username: username, groups: undefined });

      async function userWithRole(username: string, role?: string): Promise<string> {
        const { body } = await admin().post(usersPath(env)).set('Content-Type', MediaTypes.JSON).send({ username }).expect(201);
        if (role) {
          const roleId = roleByName(role)?.id;
          await admin()
            .post(`${usersPath(env)}/${body.id}/roleAssignments`)
            .set('Content-Type', MediaTypes.JSON)
            .send({ role: { id: roleId }, scope: { type: 'ENVIRONMENT', id: env.environmentId } })
            .expect(201);
        }
        return body.id as string;
      }

      it('lets a user holding Identity Data Read Only read, not write (username matched case-insensitively)', async () => {
        await userWithRole('helpdesk.reader@example.com', 'Identity Data Read Only');
        await listUsers(await userToken('Helpdesk.Reader@example.com')).expect(200);
        expectForbidden((await createUser(await userToken('helpdesk.reader@example.com'), 'no@example.com').expect(403)).body);
      });

      it('refuses with 403 a user without assignments, an unknown user, a disabled user and a locked user', async () => {
        await userWithRole('no-roles@example.com');
        const disabled = await userWithRole('disabled.admin@example.com', 'Identity Data Admin');
        const locked = await userWithRole('locked.admin@example.com', 'Identity Data Admin');
        await listUsers(await userToken('disabled.admin@example.com')).expect(200);
        await admin()
          .put(`${usersPath(env)}/${disabled}/enabled`)
          .set('Content-Type', MediaTypes.JSON)
          .send({ enabled: false })
          .expect(200);
        await admin()
          .post(`${usersPath(env)}/${locked}`)
          .set('Content-Type', MediaTypes.ACCOUNT_LOCK)
          .expect(200);
        for (const username of ['no-roles@example.com', 'nobody@example.com', 'disabled.admin@example.com', 'locked.admin@example.com']) {
          expectForbidden((await listUsers(await userToken(username)).expect(403)).body);
        }
      });

      it('refuses with 401 a token whose user claim is missing or not a string', async () => {
        for (const username of [undefined, 42, '']) expectInvalidToken((await listUsers(await userToken(username)).expect(401)).body);
      });
    });

    it("still accepts the service's own tokens next to the trusted issuers", async () => {
      await listUsers(env.token).expect(200);
    });
  });

  describe('refusing tokens', () => {
    const refused: [string, () => Promise<string>][] = [
      ['a token of an issuer that is not trusted', () => mint({ iss: 'https://idp.example.test/unknown' })],
      [
        "a token claiming the service's own issuer, signed by the identity provider",
        () => mint({ iss: `${t.config.publicBaseUrl}/${env.environmentId}/as`, env: env.environmentId }),
      ],
      ['a token for another audience', () => mint({ aud: 'urn:some-third-api' })],
      ['a token expired beyond the clock tolerance', () => mint({ exp: Math.floor(Date.now() / 1000) - 120 })],
      ['a token without an expiry', () => mint({ exp: undefined })],
      ['a token without a subject', () => mint({ sub: undefined })],
      ['a token signed by another key under the current kid', async () => mint({}, { ...(await newSigner('RS256')), kid: rsa.kid })],
      ['an unsigned token (alg none)', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${(await mint()).split('.')[1]}.`],
      [
        'an unsigned token naming a published kid',
        async () => `${base64url({ alg: 'none', kid: rsa.kid })}.${(await mint()).split('.')[1]}.`,
      ],
      [
        'an HS256 token keyed with the public key (algorithm confusion)',
        () => {
          const payload = {
            iss: ROLES_ISSUER,
            aud: AUDIENCE,
            sub: 'mallory',
            exp: Math.floor(Date.now() / 1000) + 300,
            groups: ['idm-admins'],
          };
          return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: rsa.kid }).sign(new TextEncoder().encode(rsa.spki));
        },
      ],
      ['an RS256 token of an issuer allowed ES256 only', () => mint({ iss: ES_ONLY_ISSUER })],
    ];

    it.each(refused)('refuses %s with 401 INVALID_TOKEN, without fetching any key set', async (_name, token) => {
      // The key set is loaded (and the same claims accepted) first, so any fetch below is the refusal's doing.
      await listUsers(await mint()).expect(200);
      const fetches = idp.fetches('/jwks');
      const response = await listUsers(await token()).expect(401);
      expectInvalidToken(response.body);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(idp.fetches('/jwks')).toBe(fetches);
    });

    it('accepts a token expired by less than the clock tolerance', async () => {
      await listUsers(await mint({ exp: Math.floor(Date.now() / 1000) - 5 })).expect(200);
    });

    it('accepts ES256 from the ES256-only issuer, the algorithm being the only difference above', async () => {
      await listUsers(await mint({ iss: ES_ONLY_ISSUER }, ec)).expect(200);
    });
  });

  describe("the issuer's key set", () => {
    it('picks up a key the identity provider rotated in, with one fetch, and drops the key it rotated out', async () => {
      const retired = rsa;
      rsa = await newSigner('RS256');
      idp.keys = [rsa.jwk, ec.jwk];
      await sleep(COOLDOWN_MS + 100);
      const fetches = idp.fetches('/jwks');

      await listUsers(await mint({}, rsa)).expect(200);
      expect(idp.fetches('/jwks')).toBe(fetches + 1);
      const response = await listUsers(await mint({}, retired)).expect(401);
      expectInvalidToken(response.body);
      expect(idp.fetches('/jwks')).toBe(fetches + 1);
    });

    it('fetches the key set at most once for a burst of 20 tokens with unknown kids', async () => {
      const stranger = await newSigner('RS256');
      const tokens = await Promise.all(Array.from({ length: 20 }, () => mint({}, { ...stranger, kid: randomUUID() })));
      await sleep(COOLDOWN_MS + 100);
      const fetches = idp.fetches('/jwks');

      const responses = await Promise.all(tokens.map((token) => listUsers(token)));
      expect(responses.map((r) => r.status)).toEqual(tokens.map(() => 401));
      // The first unknown kid after the cooldown may fetch; every other one waits for that fetch or is refused.
      expect(idp.fetches('/jwks')).toBe(fetches + 1);
      await listUsers(await mint()).expect(200);
    });
  });

  describe('an issuer whose key set cannot be had', () => {
    const unavailable = [
      ['refuses connections', 'https://idp.example.test/closed-port', undefined],
      ['answers 500', 'https://idp.example.test/status-500', '/status-500'],
      ['answers something other than JSON', 'https://idp.example.test/not-json', '/not-json'],
      ['answers JSON that is not a key set', 'https://idp.example.test/not-a-key-set', '/not-a-key-set'],
      ['does not answer within the timeout', 'https://idp.example.test/hang', '/hang'],
    ] as const;

    it.each(unavailable)('answers 503 UNEXPECTED_ERROR when the JWKS endpoint %s, neither 401 nor 500', async (_name, iss, path) => {
      const fetches = path ? idp.fetches(path) : 0;
      const response = await listUsers(await mint({ iss })).expect(503);
      expect(response.body).toEqual({
        id: expect.any(String),
        code: 'UNEXPECTED_ERROR',
        message: ERROR_MAP.ISSUER_KEYS_UNAVAILABLE.message,
      });
      expect(response.body.message).toMatch(/issuer's signing keys/);
      if (path) expect(idp.fetches(path)).toBe(fetches + 1);
    });

    it('tells the caller when to retry', async () => {
      const response = await listUsers(await mint({ iss: 'https://idp.example.test/closed-port' })).expect(503);
      expect(response.headers['retry-after']).toBe('5');
    });

    it('tries again on the next request once the endpoint answers, a failure not being remembered', async () => {
      await listUsers(await mint({ iss: FLAKY_ISSUER })).expect(503);
      idp.flakyUp = true;
      await listUsers(await mint({ iss: FLAKY_ISSUER })).expect(200);
      expect(idp.fetches('/flaky')).toBe(2);
    });
  });
});
