import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../../src/common/openapi/response-schemas.js';
import { operationOf, responseSchemaFor, standalone } from '../../src/common/openapi/response-schemas.js';
import { isJsonMediaType, mediaTypeEssence } from '../../src/common/http/media-types.js';

// ajv-formats is CommonJS whose default export TypeScript sees one level down under nodenext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** What the check needs of a response: supertest's and superagent's responses have it. */
export interface ObservedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text?: string;
}

interface RouteTemplate {
  path: string;
  pattern: RegExp;
  parameters: number;
}

/**
 * The OpenAPI document as a contract on responses: `problem()` says what is wrong with a response
 * to a request, by the operation the request reached, the status, and the Content-Type; undefined
 * when it conforms. It is stricter than the document in one way: an attribute the schema does not
 * declare fails here, so a body cannot grow without the document growing with it.
 */
export class ResponseContract {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: RouteTemplate[];

  constructor(private readonly document: OpenAPIObject) {
    addFormats(this.ajv);
    this.templates = Object.keys(document.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
        parameters: (path.match(/\{/g) ?? []).length,
      }))
      // Like the router: a literal segment wins over a parameter.
      .sort((a, b) => a.parameters - b.parameters);
  }

  problem(method: string, url: string, response: ObservedResponse): string | undefined {
    const path = pathOf(url);
    const request = `${method.toUpperCase()} ${path}`;
    const matching = this.templates.filter((t) => t.pattern.test(path));
    const template = matching.find((t) => operationOf(this.document, method, t.path));
    if (!template) {
      const expected = matching.length > 0 ? 405 : 404;
      if (response.status !== expected) {
        return `${request} is no operation of the OpenAPI document (the server should answer ${expected}), but answered ${response.status}`;
      }
      return this.check(`${request} (${expected} before routing)`, response, this.errorSchema(), 'application/json');
    }
    const route = `${method.toUpperCase()} ${template.path}`;
    const operation = operationOf(this.document, method, template.path);
    const declared = operation?.responses[String(response.status)] as ResponseObject | undefined;
    if (!declared) {
      const statuses = Object.keys(operation?.responses ?? {}).join(', ');
      return `${route} answered ${response.status}, which the OpenAPI document does not declare (it declares ${statuses}). Body: ${truncate(response.text)}`;
    }
    const content = declared.content ?? {};
    const type = mediaTypeEssence(header(response, 'content-type'));
    if (Object.keys(content).length === 0) {
      return response.text ? `${route} ${response.status} declares no body, but one came: ${truncate(response.text)}` : undefined;
    }
    if (!type || !(type in content)) {
      return `${route} ${response.status} answered Content-Type ${type ?? '(none)'}; the document declares ${Object.keys(content).join(', ')}`;
    }
    if (!isJsonMediaType(type)) return undefined;
    const key = `${route} ${response.status} ${type}`;
    return this.check(key, response, () => responseSchemaFor(this.document, { method, path: template.path }, response.status, type), type);
  }

  private errorSchema(): () => JsonSchema {
    return () => standalone({ $ref: '#/components/schemas/PingOneError' }, this.document);
  }

  private check(key: string, response: ObservedResponse, schema: () => JsonSchema | undefined, type: string): string | undefined {
    let validate = this.validators.get(key);
    if (!validate) {
      const source = schema();
      if (!source) return undefined;
      validate = this.ajv.compile(closed(source));
      this.validators.set(key, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text ?? '');
    } catch {
      return `${key}: the body is not the JSON its Content-Type (${type}) says: ${truncate(response.text)}`;
    }
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    return `${key}: the body does not match the OpenAPI document:\n  ${errors.join('\n  ')}\nBody: ${truncate(response.text)}`;
  }
}

/** The path of a request URL (absolute or not), without its query or a trailing slash. */
function pathOf(url: string): string {
  const path = new URL(url, 'http://localhost').pathname;
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function header(response: ObservedResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const truncate = (text: string | undefined) => (text && text.length > 600 ? `${text.slice(0, 600)}...` : (text ?? ''));

/**
 * A copy of `schema` in which every object schema that lists its properties and says nothing of
 * others refuses others (`unevaluatedProperties: false`, which also holds through `allOf`).
 */
export function closed(schema: unknown): JsonSchema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== 'object' || node === null) return node;
    const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
    const isOpenObject = typeof copy.properties === 'object' && !('additionalProperties' in copy) && !('unevaluatedProperties' in copy);
    return isOpenObject ? { ...copy, unevaluatedProperties: false } : copy;
  };
  return visit(schema) as JsonSchema;
}
