import { Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';

export class MethodNotAllowed extends DomainError {
  constructor(readonly allowed: string[]) {
    super('METHOD_NOT_ALLOWED', `allowed: ${allowed.join(', ')}`);
  }
}

export interface Route {
  method: string;
  path: string;
  /** The Content-Type an `@ActionFor` handler is chosen by; absent for every other handler. */
  mediaType?: string;
}

interface RouteEntry extends Route {
  pattern: RegExp;
}

/**
 * The routes the HTTP server registered, recorded as Fastify adds them. It tells a 405 from a 404
 * and lets tests walk every route the application serves.
 */
@Injectable()
export class RouteCatalog {
  private readonly entries: RouteEntry[] = [];

  add(method: string, path: string, mediaType?: string): void {
    if (method === 'HEAD' || method === 'OPTIONS') return;
    if (this.entries.some((e) => e.method === method && e.path === path && e.mediaType === mediaType)) return;
    const pattern = new RegExp(
      '^' +
        path
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/:[A-Za-z0-9_]+/g, '[^/]+')
          .replace(/\*/g, '.*') +
        '/?$',
    );
    this.entries.push({ method, path, ...(mediaType ? { mediaType } : {}), pattern });
  }

  /** Every handler: one entry per method and path, and one more per `@ActionFor` media type. */
  all(): ReadonlyArray<Route> {
    return this.entries.map(({ method, path, mediaType }) => ({ method, path, ...(mediaType ? { mediaType } : {}) }));
  }

  methodsFor(url: string): string[] {
    const methods = this.entries.filter((e) => e.pattern.test(url)).map((e) => e.method);
    return [...new Set(methods)].sort();
  }
}
