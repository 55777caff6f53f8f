import { Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';

export class MethodNotAllowed extends DomainError {
  constructor(readonly allowed: string[]) {
    super('METHOD_NOT_ALLOWED', `allowed: ${allowed.join(', ')}`);
  }
}

interface RouteEntry {
  method: string;
  path: string;
  pattern: RegExp;
}

/**
 * The routes the HTTP server registered, recorded as Fastify adds them. It tells a 405 from a 404
 * and lets tests walk every route the application serves.
 */
@Injectable()
export class RouteCatalog {
  private readonly entries: RouteEntry[] = [];

  add(method: string, path: string): void {
    if (method === 'HEAD' || method === 'OPTIONS') return;
    if (this.entries.some((e) => e.method === method && e.path === path)) return;
    const pattern = new RegExp(
      '^' + path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+').replace(/\*/g, '.*') + '/?$',
    );
    this.entries.push({ method, path, pattern });
  }

  all(): ReadonlyArray<{ method: string; path: string }> {
    return this.entries.map(({ method, path }) => ({ method, path }));
  }

  methodsFor(url: string): string[] {
    const methods = this.entries.filter((e) => e.pattern.test(url)).map((e) => e.method);
    return [...new Set(methods)].sort();
  }
}
