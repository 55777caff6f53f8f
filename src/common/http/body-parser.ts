import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { ErrorDetail } from '../errors/domain-error.js';
import { isJsonMediaType, mediaTypeEssence, MediaTypes } from './media-types.js';

/**
 * The deepest JSON a body may nest (objects and arrays). PingOne's bodies nest three or four
 * levels; the cap keeps a hostile body from overflowing the stack of the code that walks it
 * (class-transformer, class-validator), and is checked on the text before anything parses it.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * A body that is not valid JSON. The parser hands it on instead of failing, because the request
 * must first be authenticated (401/403) and its media type checked (415); the validation pipe
 * then answers 400.
 */
export class MalformedBody {
  constructor(readonly reason: string) {}
}

/**
 * Valid JSON the service refuses to process: nested deeper than `MAX_BODY_DEPTH`, or
 * holding a NUL character, which PostgreSQL cannot store in text. Handed on like `MalformedBody`
 * so that authentication and the media type are checked first; the validation pipe answers 400.
 */
export class RefusedBody {
  constructor(readonly detail: ErrorDetail) {}
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
    // Only the token endpoint takes a form, and it compares its values without storing them.
    if (essence === MediaTypes.FORM) return done(null, Object.fromEntries(new URLSearchParams(text)));
    if (!isJsonMediaType(essence)) return done(null, text);
    if (nestingDepth(text) > MAX_BODY_DEPTH) {
      return done(
        null,
        new RefusedBody({ code: 'INVALID_VALUE', target: 'body', message: `The body nests deeper than ${MAX_BODY_DEPTH} levels.` }),
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return done(null, new MalformedBody((error as Error).message));
    }
    done(null, findNul(parsed) ?? parsed);
  });
}

/** The deepest nesting of arrays and objects in JSON text, counted without parsing (or recursing). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: the next character is escaped
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** A refusal naming the first attribute (or key) whose text holds NUL; `value` nests at most MAX_BODY_DEPTH. */
export function findNul(value: unknown, path = ''): RefusedBody | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? nulRefusal(path || 'body') : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return nulRefusal(path || 'body');
    const found = findNul(item, at);
    if (found) return found;
  }
  return undefined;
}

function nulRefusal(target: string): RefusedBody {
  return new RefusedBody({
    code: 'INVALID_VALUE',
    target,
    message: `${target} holds a NUL character (\\u0000), which text values may not contain.`,
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
