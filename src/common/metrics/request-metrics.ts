import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import type { Metrics } from './metrics.js';

/** The `route` label of requests no route matched (404, 405, a URL the router could not read): one series, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const MARK = Symbol('request-metrics');

type Observe = (seconds: number) => void;
type Labels = { method: string; route: string; status_code: number };

/**
 * Feeds `http_request_duration_seconds` from Fastify's onResponse hook. The route template is
 * resolved once per route, when the route is registered: each route gets its own hook that
 * closes over its template (`request.routeOptions` would build an object per request to say it),
 * and keeps one labelled observer per status it has answered. Requests no route matched share the
 * `unmatched` route label, so a scan of random URLs cannot create series. Call before the routes
 * are registered.
 */
export function registerRequestMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  const observer = (method: string, route: string): ((status: number) => Observe) => {
    const byStatus = new Map<number, Observe>();
    return (status) => {
      let observe = byStatus.get(status);
      if (!observe) {
        const labels: Labels = { method, route, status_code: status };
        observe = (seconds) => metrics.requestDuration.observe(labels, seconds);
        byStatus.set(status, observe);
      }
      return observe;
    };
  };

  fastify.addHook('onRoute', (route: RouteOptions) => {
    const existing = [route.onResponse ?? []].flat();
    if (existing.some((hook) => MARK in hook)) return;
    const routeMethods = [route.method].flat();
    const url = route.url;
    // A route has one method here (Nest registers one per handler); several would share one template.
    const forRoute = new Map(routeMethods.map((method) => [method, observer(method, url)]));
    const onResponse = Object.assign(
      (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
        forRoute.get(request.method)?.(reply.statusCode)(reply.elapsedTime / 1000);
        done();
      },
      { [MARK]: true },
    );
    // A new array: Fastify copies a GET route's options for its HEAD route, which gets a hook of its own.
    route.onResponse = [...existing, onResponse];
  });

  const unmatched = new Map([...KNOWN_METHODS, 'OTHER'].map((method) => [method, observer(method, UNMATCHED_ROUTE)]));
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (request.is404) {
      const method = KNOWN_METHODS.has(request.method) ? request.method : 'OTHER';
      unmatched.get(method)?.(reply.statusCode)(reply.elapsedTime / 1000);
    }
    done();
  });
}
