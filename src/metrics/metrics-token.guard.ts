import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MetricsNotServed, WrongMetricsToken } from './metrics.errors.js';

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * `/metrics` is not for the internet: it answers only a request that carries `Authorization:
 * Bearer <METRICS_TOKEN>`, and without METRICS_TOKEN it answers 404 like a route that does not
 * exist. The token is compared in constant time (as digests, so its length does not show either).
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.metricsToken) this.expected = digest(config.metricsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new MetricsNotServed();
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const token = /^Bearer +(\S+) *$/i.exec(header)?.[1];
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) throw new WrongMetricsToken();
    return true;
  }
}
