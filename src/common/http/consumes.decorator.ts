import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConstraints } from '@nestjs/platform-fastify';
import { ApiConsumes, ApiExcludeEndpoint } from '@nestjs/swagger';
import type { MediaType } from './media-types.js';

export const CONSUMES_KEY = 'consumes';
/** The Content-Type an `@ActionFor` handler is chosen by (the OpenAPI document merges a URL's actions by it). */
export const ACTION_MEDIA_TYPE_KEY = 'actionMediaType';
/** Name of the Fastify route constraint that routes requests by their Content-Type essence. */
export const MEDIA_TYPE_CONSTRAINT = 'mediaType';

/**
 * The media types a route accepts. The media-type guard answers 415, listing them, for any other
 * Content-Type, after authentication has run. The OpenAPI document lists them as the request's
 * content types.
 */
export const Consumes = (...types: MediaType[]) => applyDecorators(SetMetadata(CONSUMES_KEY, types), ApiConsumes(...types));

/**
 * One action of a URL whose behaviour is chosen by Content-Type (PingOne's style, e.g. unlock and
 * lock on `POST /users/{id}`): the router sends the request here only when the type matches.
 * Requests with any other type reach the URL's `@MediaTypeFallback` handler.
 */
export const ActionFor = (type: MediaType) =>
  applyDecorators(
    RouteConstraints({ [MEDIA_TYPE_CONSTRAINT]: type.toLowerCase() }),
    SetMetadata(ACTION_MEDIA_TYPE_KEY, type),
    Consumes(type),
  );

/**
 * The handler of an action URL for every Content-Type no `@ActionFor` handler takes: it exists so
 * that such requests are authenticated like the actions and then refused with 415 listing
 * `types`. It is no operation of its own, so the OpenAPI document leaves it out.
 */
export const MediaTypeFallback = (...types: MediaType[]) => applyDecorators(Consumes(...types), ApiExcludeEndpoint());
