import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConstraints } from '@nestjs/platform-fastify';
import type { MediaType } from './media-types.js';

export const CONSUMES_KEY = 'consumes';
/** Name of the Fastify route constraint that routes requests by their Content-Type essence. */
export const MEDIA_TYPE_CONSTRAINT = 'mediaType';

/**
 * The media types a route accepts. The media-type guard answers 415, listing them, for any other
 * Content-Type, after authentication has run.
 */
export const Consumes = (...types: MediaType[]) => SetMetadata(CONSUMES_KEY, types);

/**
 * One action of a URL whose behaviour is chosen by Content-Type (PingOne's style, e.g. unlock and
 * lock on `POST /users/{id}`): the router sends the request here only when the type matches.
 * Requests with any other type reach the URL's handler marked `@Consumes(...all action types)`,
 * which exists so that they are authenticated and then refused with 415.
 */
export const ActionFor = (type: MediaType) =>
  applyDecorators(RouteConstraints({ [MEDIA_TYPE_CONSTRAINT]: type.toLowerCase() }), Consumes(type));
