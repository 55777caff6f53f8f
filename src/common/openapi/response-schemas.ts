import type { OpenAPIObject, OperationObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { toOpenApiPath } from './route-handlers.js';

/** A JSON Schema (2020-12) that stands alone: the component schemas it uses are in its own `$defs`. */
export type JsonSchema = Record<string, unknown>;

const COMPONENT_REF = '#/components/schemas/';

export function operationOf(document: OpenAPIObject, method: string, path: string): OperationObject | undefined {
  const item = document.paths[toOpenApiPath(path)] as Record<string, OperationObject | undefined> | undefined;
  return item?.[method.toLowerCase()];
}

/**
 * The schema of one response of one route, from the generated document: what a test validates a
 * body against, and what a response serializer can be compiled from. `path` is the route template,
 * as Fastify (`:userId`) or OpenAPI (`{userId}`) writes it. Undefined for a response without a body
 * of that type (a 204); an error for a route or status the document does not declare.
 */
export function responseSchemaFor(
  document: OpenAPIObject,
  route: { method: string; path: string },
  status: number | string,
  contentType = 'application/json',
): JsonSchema | undefined {
  const operation = operationOf(document, route.method, route.path);
  if (!operation) throw new Error(`The document has no operation ${route.method.toUpperCase()} ${route.path}`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`${route.method.toUpperCase()} ${route.path} declares no ${status} response`);
  if ('$ref' in response) throw new Error(`Shared responses (${response.$ref}) are not used by this document`);
  const schema = response.content?.[contentType]?.schema;
  return schema ? standalone(schema, document) : undefined;
}

/** `schema` with every `#/components/schemas/X` it reaches copied into `$defs` and pointed at there. */
export function standalone(schema: SchemaObject | ReferenceObject, document: OpenAPIObject): JsonSchema {
  const components = (document.components?.schemas ?? {}) as Record<string, unknown>;
  const defs: Record<string, unknown> = {};
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (key !== '$ref' || typeof value !== 'string' || !value.startsWith(COMPONENT_REF)) return [key, rewrite(value)];
        const name = value.slice(COMPONENT_REF.length);
        if (!(name in defs)) {
          if (!(name in components)) throw new Error(`The document has no schema ${name}`);
          defs[name] = true; // placeholder, so a recursive schema does not loop
          defs[name] = rewrite(components[name]);
        }
        return [key, `#/$defs/${name}`];
      }),
    );
  };
  const root = rewrite(schema) as JsonSchema;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...root, ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}) };
}
