import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { checkedApi } from '../support/api.js';
import { closed, ResponseContract } from '../support/contract.js';

/** A small document in the shape the service's own has: one resource, PingOne's error body. */
const document = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  paths: {
    '/things/{thingId}': {
      get: {
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          404: { description: 'missing', content: { 'application/json': { schema: { $ref: '#/components/schemas/PingOneError' } } } },
        },
      },
      delete: { responses: { 204: { description: 'gone' } } },
    },
    '/things/special': {
      get: { responses: { 200: { description: 'ok', content: { 'text/html': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        properties: { id: { type: 'string', format: 'uuid' }, size: { type: 'integer' }, tags: { $ref: '#/components/schemas/Tags' } },
        required: ['id'],
      },
      Tags: { type: 'object', additionalProperties: { type: 'string' } },
      PingOneError: {
        type: 'object',
        properties: { id: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
        required: ['id', 'code', 'message'],
      },
    },
  },
} as unknown as OpenAPIObject;

const ID = '0b7e2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const json = (status: number, body: unknown) => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  text: JSON.stringify(body),
});
const error = { id: 'e', code: 'NOT_FOUND', message: 'no' };

describe('the response contract', () => {
  const contract = new ResponseContract(document);
  const problem = (method: string, url: string, response: Parameters<ResponseContract['problem']>[2]) =>
    contract.problem(method, url, response);

  it('accepts a body, a status and a Content-Type the document declares', () => {
    expect(problem('GET', `http://127.0.0.1:1234/things/${ID}?x=1`, json(200, { id: ID, size: 3 }))).toBeUndefined();
    expect(problem('GET', `/things/${ID}`, json(404, error))).toBeUndefined();
    expect(problem('DELETE', `/things/${ID}`, { status: 204, headers: {}, text: '' })).toBeUndefined();
  });

  it('refuses a status the operation does not declare', () => {
    expect(problem('GET', `/things/${ID}`, json(500, error))).toMatch(/GET \/things\/\{thingId\} answered 500, which .* declares 200, 404/);
  });

  it('refuses a body that breaks the schema: a wrong type, a missing attribute, a wrong format', () => {
    expect(problem('GET', `/things/${ID}`, json(200, { id: ID, size: 'big' }))).toMatch(/\/size must be integer/);
    expect(problem('GET', `/things/${ID}`, json(200, { size: 1 }))).toMatch(/must have required property 'id'/);
    expect(problem('GET', `/things/${ID}`, json(200, { id: 'not-a-uuid' }))).toMatch(/\/id must match format "uuid"/);
  });

  it('refuses an attribute the schema does not declare, but not where the schema allows any', () => {
    expect(problem('GET', `/things/${ID}`, json(200, { id: ID, colour: 'red' }))).toMatch(/unevaluated properties.*colour/);
    expect(problem('GET', `/things/${ID}`, json(200, { id: ID, tags: { any: 'thing' } }))).toBeUndefined();
  });

  it('refuses a body where none is declared, another Content-Type, and a body that is not JSON', () => {
    expect(problem('DELETE', `/things/${ID}`, json(204, { id: ID }))).toMatch(/declares no body/);
    expect(problem('GET', `/things/${ID}`, { status: 200, headers: { 'content-type': 'text/plain' }, text: 'hi' })).toMatch(
      /Content-Type text\/plain/,
    );
    expect(problem('GET', `/things/${ID}`, { status: 200, headers: { 'content-type': 'application/json' }, text: '{' })).toMatch(
      /not the JSON/,
    );
  });

  it('prefers a literal segment to a parameter, like the router', () => {
    expect(problem('GET', '/things/special', { status: 200, headers: { 'content-type': 'text/html' }, text: '<p>' })).toBeUndefined();
  });

  it('expects 404 with the error body for a path no operation has, and 405 for a known path with another method', () => {
    expect(problem('GET', '/nowhere', json(404, error))).toBeUndefined();
    expect(problem('GET', '/nowhere', json(404, { message: 'Not Found' }))).toMatch(/required property 'id'/);
    expect(problem('GET', '/nowhere', json(200, { id: ID }))).toMatch(/no operation .* should answer 404/);
    expect(problem('PUT', `/things/${ID}`, json(405, error))).toBeUndefined();
    expect(problem('PUT', `/things/${ID}`, json(404, error))).toMatch(/should answer 405/);
  });

  it('closes object schemas that say nothing of other attributes, and only those', () => {
    expect(closed({ type: 'object', properties: { a: { type: 'object', properties: {} } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'object', properties: {}, unevaluatedProperties: false } },
      unevaluatedProperties: false,
    });
    const open = { type: 'object', properties: {}, additionalProperties: true };
    expect(closed(open)).toEqual(open);
  });
});

describe('requests of the test helper', () => {
  let server: Server;
  let body = '';
  let authorization: string | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pass when the response conforms, with the headers they were made with', async () => {
    body = JSON.stringify({ id: ID });
    const api = checkedApi(server, new ResponseContract(document), { Authorization: 'Bearer x' });
    await api.get(`/things/${ID}`).expect(200);
    expect(authorization).toBe('Bearer x');
  });

  it('fail when it does not, even when the test checks nothing itself', async () => {
    body = JSON.stringify({ id: ID, size: 'big' });
    const api = checkedApi(server, new ResponseContract(document));
    await expect(api.get(`/things/${ID}`)).rejects.toThrow(/\/size must be integer/);
    await expect(api.get(`/things/${ID}`).expect(200)).rejects.toThrow(/\/size must be integer/);
  });

  it("run after the test's own expectations, which report first", async () => {
    body = JSON.stringify({ id: ID, size: 'big' });
    const api = checkedApi(server, new ResponseContract(document));
    await expect(api.get(`/things/${ID}`).expect(201)).rejects.toThrow(/expected 201 "Created", got 200 "OK"/);
  });
});
