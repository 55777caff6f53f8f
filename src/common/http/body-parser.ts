import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { isJsonMediaType, mediaTypeEssence, MediaTypes } from './media-types.js';

/**
 * A body that is not valid JSON. The parser hands it on instead of failing, because the request
 * must first be authenticated (401/403) and its media type checked (415); the validation pipe
 * then answers 400.
 */
export class MalformedBody {
  constructor(readonly reason: string) {}
}

/**
 * Replaces Fastify's parsers with one that accepts every Content-Type: Fastify would otherwise
 * answer 415 for vendor types and 400 for an empty JSON body before any guard runs. An empty body
 * parses to `undefined`; JSON types parse to their value; a form (`application/x-www-form-urlencoded`)
 * to an object of its fields (the last value of a repeated one); any other type keeps its text (no
 * route accepts it, so it is refused with 415).
 */
export function registerBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    const essence = mediaTypeEssence(request.headers['content-type']);
    if (essence === MediaTypes.FORM) return done(null, Object.fromEntries(new URLSearchParams(text)));
    if (!isJsonMediaType(essence)) return done(null, text);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(null, new MalformedBody((error as Error).message));
    }
  });
}

type ConstraintStrategy = NonNullable<NonNullable<FastifyServerOptions['routerOptions']>['constraints']>[string];

/** Routes `@ActionFor(type)` handlers by the request's Content-Type essence. */
export const mediaTypeConstraint: ConstraintStrategy = {
  name: 'mediaType',
  mustMatchWhenDerived: false,
  storage() {
    const handlers = new Map<string, unknown>();
    return {
      get: (type: string) => (handlers.get(type) ?? null) as never,
      set: (type: string, store: unknown) => void handlers.set(type, store),
    };
  },
  deriveConstraint: (request) => mediaTypeEssence(request.headers['content-type']) ?? '',
  validate(value: unknown) {
    if (typeof value !== 'string') throw new Error('mediaType constraint must be a string');
  },
};
