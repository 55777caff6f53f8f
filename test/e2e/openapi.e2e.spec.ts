import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenAPIObject, OperationObject, ParameterObject, RequestBodyObject } from '@nestjs/swagger';
import { validate } from '@readme/openapi-parser';
import { RouteCatalog } from '../../src/common/http/route-catalog.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import { toOpenApiPath } from '../../src/common/openapi/route-handlers.js';
import { responseSchemaFor } from '../../src/common/openapi/response-schemas.js';
import { startApp, type TestApp } from '../support/test-app.js';

const COMMITTED = new URL('../../docs/openapi.json', import.meta.url);
const PUBLIC = [
  'POST /{envId}/as/token',
  'GET /{envId}/as/jwks',
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/{asset}',
];
/** Operations that take a credential of their own instead of an access token. */
const OWN_CREDENTIAL: Record<string, unknown> = { 'GET /metrics': [{ metricsToken: [] }] };

describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: OpenAPIObject;

  beforeAll(async () => {
    t = await startApp();
    // Served without a token; the helper checks this response against the document like any other.
    const response = await t.http
      .get('/openapi.json')
      .expect(200)
      .expect('content-type', /application\/json/);
    document = JSON.parse(response.text) as OpenAPIObject;
  });
  afterAll(async () => t.close());

  const operation = (method: string, path: string) =>
    (document.paths[path] as Record<string, OperationObject | undefined> | undefined)?.[method.toLowerCase()];
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((method) => {
        const op = item[method];
        return op ? [{ key: `${method.toUpperCase()} ${path}`, path, op }] : [];
      }),
    );

  it('is valid OpenAPI 3.1', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result).toEqual({ valid: true, warnings: [], specification: 'OpenAPI' });
  });

  it('is refused by the same validator once broken (the check above can fail)', async () => {
    const broken = structuredClone(document);
    const op = broken.paths['/v1/environments/{envId}/users']?.get as OperationObject;
    op.parameters = (op.parameters as ParameterObject[]).filter((p) => p.name !== 'envId');
    expect((await validate(broken as never)).valid).toBe(false);
  });

  it('has an operation for every route the application serves, and no other', () => {
    const served = t.app
      .get(RouteCatalog)
      .all()
      .map((r) => `${r.method} ${toOpenApiPath(r.path)}`);
    expect([...new Set(served)].sort()).toEqual(
      operations()
        .map((o) => o.key)
        .sort(),
    );
  });

  it('lists each media type of a URL’s actions (@ActionFor) as a request content type of its one operation', () => {
    const actions = t.app
      .get(RouteCatalog)
      .all()
      .filter((r) => r.mediaType);
    expect(actions.length).toBeGreaterThanOrEqual(9);
    for (const { method, path, mediaType } of actions) {
      const content = (operation(method, toOpenApiPath(path))?.requestBody as RequestBodyObject | undefined)?.content ?? {};
      expect({ route: `${method} ${path}`, types: Object.keys(content).map((type) => type.toLowerCase()) }).toEqual({
        route: `${method} ${path}`,
        types: expect.arrayContaining([mediaType]),
      });
    }
    const account = operation('POST', '/v1/environments/{envId}/users/{userId}')?.requestBody as RequestBodyObject;
    expect(account.content).toEqual({
      [MediaTypes.ACCOUNT_UNLOCK]: { schema: expect.objectContaining({ type: 'object' }) },
      [MediaTypes.ACCOUNT_LOCK]: { schema: { $ref: '#/components/schemas/LockBodyDto' } },
      // Offered by PingOne, answered here as unavailable (docs/api.md): listed so clients see them.
      [MediaTypes.USER_SEND_VERIFICATION_CODE]: { schema: expect.objectContaining({ type: 'object' }) },
      [MediaTypes.USER_VERIFY]: { schema: expect.objectContaining({ type: 'object' }) },
    });
    expect(account.required).toBe(false);
    const password = operation('PUT', '/v1/environments/{envId}/users/{userId}/password')?.requestBody as RequestBodyObject;
    expect(password.content).toEqual({
      [MediaTypes.PASSWORD_SET]: { schema: { $ref: '#/components/schemas/PasswordSetDto' } },
      [MediaTypes.PASSWORD_RESET]: { schema: { $ref: '#/components/schemas/PasswordResetDto' } },
    });
    const otp = operation('POST', '/v1/environments/{envId}/users/{userId}/devices/{deviceId}')?.requestBody as RequestBodyObject;
    expect(Object.keys(otp.content)).toEqual([MediaTypes.OTP_CHECK]);
  });

  it('declares every path parameter, ids as UUIDs', () => {
    for (const { key, path, op } of operations()) {
      const declared = (op.parameters as ParameterObject[]).filter((p) => p.in === 'path');
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect({ key, names: declared.map((p) => p.name) }).toEqual({ key, names: inPath });
      for (const p of declared) {
        expect(p).toMatchObject({ required: true, schema: { type: 'string', ...(p.name.endsWith('Id') ? { format: 'uuid' } : {}) } });
      }
    }
  });

  it('asks a bearer token of every operation but the public ones', () => {
    const open = operations().filter((o) => Array.isArray(o.op.security) && o.op.security.length === 0);
    expect(open.map((o) => o.key).sort()).toEqual([...PUBLIC].sort());
    for (const { key, op } of operations()) {
      if (PUBLIC.includes(key)) continue;
      if (key in OWN_CREDENTIAL) {
        expect({ key, security: op.security }).toEqual({ key, security: OWN_CREDENTIAL[key] });
        continue;
      }
      expect({ key, security: op.security }).toEqual({ key, security: [{ bearer: [] }, { clientCredentials: [] }] });
      expect({ key, statuses: Object.keys(op.responses) }).toEqual({ key, statuses: expect.arrayContaining(['401', '403', '503']) });
    }
    expect(document.components?.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      metricsToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      clientCredentials: expect.objectContaining({
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: '/{envID}/as/token', scopes: {} } },
      }),
    });
  });

  it("describes every failure of the management API with PingOne's error body", () => {
    for (const { key, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400 || key === 'POST /{envId}/as/token') continue;
        expect({ key, status, content: (response as { content?: unknown }).content }).toEqual({
          key,
          status,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/PingOneError' } } },
        });
      }
    }
    expect(document.components?.schemas?.PingOneError).toMatchObject({ required: ['id', 'code', 'message'] });
  });

  it('gives each route’s response schema on its own, for a serializer', () => {
    const schema = responseSchemaFor(document, { method: 'POST', path: '/v1/environments/:envId/users/:userId' }, 200);
    expect(schema).toMatchObject({
      $ref: '#/$defs/UserResponse',
      $defs: { UserResponse: expect.any(Object), HalLink: expect.any(Object) },
    });
    expect(JSON.stringify(schema)).not.toContain('#/components/');
    expect(responseSchemaFor(document, { method: 'DELETE', path: '/v1/environments/{envId}/users/{userId}' }, 204)).toBeUndefined();
    expect(() => responseSchemaFor(document, { method: 'GET', path: '/health' }, 418)).toThrow(/declares no 418/);
  });

  it('is the committed docs/openapi.json (after a change, run `npm run openapi`)', () => {
    const committed: unknown = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    expect(committed).toEqual(document);
  });
});

describe('the interactive page at /docs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => t.close());

  it.each([
    ['/docs', './docs/'],
    ['/docs/', './'],
  ])('serves %s without a token, and every file it loads', async (page, prefix) => {
    const html = await t.http
      .get(page)
      .expect(200)
      .expect('content-type', /text\/html/);
    const files = [...html.text.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      expect(file.startsWith(prefix)).toBe(true);
      await t.http.get(`/docs/${file.slice(prefix.length)}`).expect(200);
    }
    const initializer = await t.http
      .get('/docs/swagger-initializer.js')
      .expect(200)
      .expect('content-type', /javascript/);
    expect(initializer.text).toContain('openapi.json');
  });

  it('answers 404 with the PingOne body for any other file', async () => {
    const response = await t.http.get('/docs/package.json').expect(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
    await t.http.get('/docs/..%2Fpackage.json').expect(404);
  });
});
