import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import {
  DocumentBuilder,
  getSchemaPath,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SecurityRequirementObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { isIdParameter } from '../params/path-ids.js';
import { serviceVersion } from '../service-info.js';
import { ERROR_DESCRIPTIONS, type ErrorStatus } from './api-errors.decorator.js';
import { PingOneError } from './pingone-error.js';
import { type RouteHandler, routeHandlers } from './route-handlers.js';

export const BEARER_SCHEME = 'bearer';
export const CLIENT_CREDENTIALS_SCHEME = 'clientCredentials';
/** `GET /metrics`: its own bearer token, METRICS_TOKEN, not an access token. */
export const METRICS_SCHEME = 'metricsToken';
const PROTECTED: SecurityRequirementObject[] = [{ [BEARER_SCHEME]: [] }, { [CLIENT_CREDENTIALS_SCHEME]: [] }];

/** An action that takes no body: one sent is ignored (or, for JSON types, may be `{}`). */
const NO_BODY = { type: 'object', description: 'No body is needed; an empty body or `{}` will do.' } as const;

const TAGS: [string, string][] = [
  ['Users', 'Users, their account lock and their enabled state.'],
  ['Passwords', "A user's password: its state and the actions chosen by Content-Type."],
  ['Password policies', 'The rules passwords must follow, and the password lockout.'],
  ['Populations', 'Populations of users, and the password policy each names.'],
  ['MFA', 'TOTP devices, one-time passcode checks and the MFA lockout settings.'],
  ['Applications', 'Worker applications and their client secrets.'],
  ['Roles', 'The built-in roles and their assignments to applications and users.'],
  ['Tokens', 'The authorization server: access tokens for worker applications and the keys that verify them.'],
  ['Health', 'Liveness and readiness.'],
  ['Metrics', 'Prometheus metrics, behind a token of their own.'],
  ['OpenAPI', 'This document and its interactive page.'],
];

/**
 * The OpenAPI 3.1 document of the whole service, generated from the controllers, their DTOs and
 * response classes. `@nestjs/swagger` scans the code; this then adds what it cannot know:
 * - the actions of one URL chosen by Content-Type (`@ActionFor`) become one operation whose
 *   request lists each media type with its own schema (the scanner keeps only the last handler);
 * - every path parameter, from the route template (the param classes carry no decorators);
 * - who may call each operation (a bearer token, except for `@Public()` routes);
 * - the failures the global request pipeline answers before a handler runs (401, 403, 415, 400
 *   for a malformed path id, 503), so that controllers declare only what their own handler does.
 * The document depends on the code alone, never on the configuration, so a file generated from
 * it (`npm run openapi`) equals what a running service serves at `/openapi.json`.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const handlers = routeHandlers(app.get(ModulesContainer));
  const actionBodies = handlers.flatMap((h) => (h.actionMediaType && h.bodyType ? [h.bodyType] : []));
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Identity user service')
    .setVersion(serviceVersion())
    .setDescription(
      'A self-hostable user service that speaks the wire format of the PingOne Platform Management API ' +
        '(users, account lock and unlock, passwords, MFA, worker applications, role assignments). ' +
        'Management calls need a bearer token from `POST /{envID}/as/token` (`client_credentials`); ' +
        "every failure answers PingOne's error body.",
    )
    .addSecurity(BEARER_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token of a worker application, from `POST /{envID}/as/token`.',
    })
    .addSecurity(METRICS_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'The `METRICS_TOKEN` the service was started with (not an access token): for `GET /metrics` only.',
    })
    .addSecurity(CLIENT_CREDENTIALS_SCHEME, {
      type: 'oauth2',
      description:
        "The token endpoint is per environment: replace `{envID}` in the token URL with the environment's id. " +
        'The client authenticates with HTTP Basic (`client_secret_basic`) or in the form (`client_secret_post`).',
      flows: { clientCredentials: { tokenUrl: '/{envID}/as/token', scopes: {} } },
    })
    .build();
  for (const [name, description] of TAGS) config.tags?.push({ name, description });
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${lowerFirst(controller.replace(/Controller$/, ''))}_${method}`,
    extraModels: [PingOneError, ...actionBodies],
    autoTagControllers: false,
  });
  if (document.servers?.length === 0) delete document.servers;
  if (document.info.contact && Object.keys(document.info.contact).length === 0) delete document.info.contact;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const served = handlers.filter((h) => h.method === method && h.path === path && h.documented);
      if (served.length === 0) throw new Error(`No handler serves ${method.toUpperCase()} ${path}`);
      const actions = served.filter((h) => h.actionMediaType);
      if (actions.length > 0) mergeActions(operation, method, path, actions);
      operation.parameters = [...pathParameters(path), ...(operation.parameters ?? []).filter((p) => !isPathParameter(p))];
      addPipelineResponses(operation, path, served);
      // A public route needs no access token; one that asks for another credential says so itself (@ApiSecurity).
      operation.security = served.some((h) => h.isPublic) ? (operation.security ?? []) : PROTECTED;
    }
  }
  return document;
}

/** The actions of one URL become one operation: each media type with its own body schema. */
function mergeActions(operation: OperationObject, method: string, path: string, actions: RouteHandler[]): void {
  const [first] = actions;
  const responses = JSON.stringify(first?.responses);
  const differing = actions.find((a) => JSON.stringify(a.responses) !== responses);
  if (!first || differing) {
    throw new Error(
      `The actions of ${method.toUpperCase()} ${path} declare different responses (${first?.name}, ${differing?.name}): ` +
        'one operation has one set of responses, so declare them alike.',
    );
  }
  operation.requestBody = {
    required: actions.every((a) => a.bodyType !== undefined),
    content: Object.fromEntries(
      actions.map((a) => [a.actionMediaType as string, { schema: a.bodyType ? { $ref: getSchemaPath(a.bodyType) } : NO_BODY }]),
    ),
  };
  operation.operationId = `${lowerFirst(first.controller.replace(/Controller$/, ''))}_${actions
    .map((a, i) => (i === 0 ? a.name : upperFirst(a.name)))
    .join('Or')}`;
  operation.summary = actions.map((a) => a.summary ?? a.name).join(' / ');
  operation.description = [
    'The action is chosen by the request’s Content-Type:',
    '',
    ...actions.map((a) => `- \`${a.actionMediaType}\`: ${[a.summary ?? a.name, a.description].filter(Boolean).join('. ')}`),
  ].join('\n');
}

function pathParameters(path: string): ParameterObject[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    schema: isIdParameter(name) ? { type: 'string', format: 'uuid' } : { type: 'string' },
  }));
}

const isPathParameter = (parameter: ParameterObject | ReferenceObject) => 'in' in parameter && parameter.in === 'path';

/** What the global guards, pipe and filter answer for this operation before (or instead of) its handler. */
function addPipelineResponses(operation: OperationObject, path: string, served: RouteHandler[]): void {
  const isPublic = served.some((h) => h.isPublic);
  const statuses: ErrorStatus[] = [];
  if (!isPublic) {
    const hasInput = pathParameters(path).some((p) => isIdParameter(p.name)) || operation.requestBody || operation.parameters?.length;
    if (hasInput) statuses.push(400);
    statuses.push(401, 403, 503);
  }
  if (served.some((h) => h.consumes.length > 0)) statuses.push(415);
  for (const status of statuses) {
    operation.responses[status] ??= errorResponse(ERROR_DESCRIPTIONS[status]);
  }
  operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
}

function errorResponse(description: string): ResponseObject {
  return { description, content: { 'application/json': { schema: { $ref: getSchemaPath(PingOneError) } } } };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
