import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { MetadataScanner, type ModulesContainer } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import { IS_PUBLIC_KEY } from '../authorization/public.decorator.js';
import { ACTION_MEDIA_TYPE_KEY, CONSUMES_KEY } from '../http/consumes.decorator.js';

/** One controller method that serves a route, as the document builder needs to know it. */
export interface RouteHandler {
  /** Lower-case, as OpenAPI keys operations: `get`, `post`, ... */
  method: string;
  /** The OpenAPI path template: `/v1/environments/{envId}/users/{userId}`. */
  path: string;
  controller: string;
  name: string;
  /** The Content-Type an `@ActionFor` handler is chosen by. */
  actionMediaType?: string;
  consumes: readonly string[];
  isPublic: boolean;
  /** False for handlers kept out of the document (`@ApiExcludeEndpoint`, such as a media-type fallback). */
  documented: boolean;
  /** The class of the `@Body()` parameter, if the handler takes a body. */
  bodyType?: Type;
  summary?: string;
  description?: string;
  /** Declared responses, status → the type's name: what the actions of one URL must agree on. */
  responses: Record<string, string>;
}

/** Fastify's `:param` becomes OpenAPI's `{param}`. */
export const toOpenApiPath = (fastifyPath: string): string => fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Every route handler of the application, read from the same decorator metadata Nest routes by.
 * The OpenAPI scanner keeps one operation per path and method; this list still has each of the
 * handlers that share one (the actions chosen by Content-Type), so the builder can merge them.
 */
export function routeHandlers(modules: ModulesContainer): RouteHandler[] {
  const scanner = new MetadataScanner();
  const handlers: RouteHandler[] = [];
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      const classPublic = Reflect.getMetadata(IS_PUBLIC_KEY, controller) === true;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (requestMethod === undefined) continue;
        const responses = (Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) ?? {}) as Record<string, { type?: { name?: string } }>;
        handlers.push({
          method: RequestMethod[requestMethod].toLowerCase(),
          path: toOpenApiPath(joinPaths(Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler))),
          controller: controller.name,
          name,
          actionMediaType: Reflect.getMetadata(ACTION_MEDIA_TYPE_KEY, handler) as string | undefined,
          consumes: (Reflect.getMetadata(CONSUMES_KEY, handler) as string[] | undefined) ?? [],
          isPublic: classPublic || Reflect.getMetadata(IS_PUBLIC_KEY, handler) === true,
          documented:
            (Reflect.getMetadata(DECORATORS.API_EXCLUDE_ENDPOINT, handler) as { disable?: boolean } | undefined)?.disable !== true,
          bodyType: bodyTypeOf(prototype, name),
          ...operationText(handler),
          responses: Object.fromEntries(Object.entries(responses).map(([status, response]) => [status, response.type?.name ?? 'none'])),
        });
      }
    }
  }
  return handlers;
}

/** Nest's path metadata: a string, or a list of them (a route under several paths documents its first). */
function joinPaths(...parts: unknown[]): string {
  const segments = parts.map((part): unknown => (Array.isArray(part) ? part[0] : part)).filter((p): p is string => typeof p === 'string');
  const joined = segments
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

function operationText(handler: object): { summary?: string; description?: string } {
  const { summary, description } = (Reflect.getMetadata(DECORATORS.API_OPERATION, handler) ?? {}) as {
    summary?: string;
    description?: string;
  };
  return { summary, description };
}

function bodyTypeOf(prototype: object, name: string): Type | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, prototype.constructor, name) ?? {}) as Record<string, { index: number }>;
  const body = Object.entries(args).find(([key]) => key.split(':')[0] === String(RouteParamtypes.BODY))?.[1];
  if (!body) return undefined;
  const types = Reflect.getMetadata('design:paramtypes', prototype, name) as Type[] | undefined;
  const type = types?.[body.index];
  return type && type !== Object ? type : undefined;
}
