import type { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { correlationIdOf } from './common/context/correlation-id.js';
import { replyWithError } from './common/errors/exception.filter.js';
import { mediaTypeConstraint, registerBodyParser } from './common/http/body-parser.js';
import { answerClientError } from './common/http/client-error.js';
import { RouteCatalog } from './common/http/route-catalog.js';
import { Metrics } from './common/metrics/metrics.js';
import { registerRequestMetrics } from './common/metrics/request-metrics.js';
import { buildOpenApiDocument } from './common/openapi/openapi-document.js';
import { OpenApiDocument } from './common/openapi/openapi-document.holder.js';
import { registerPathIdParsing } from './common/params/path-ids.js';
import { createLogger, NestPinoLogger } from './common/logging.js';
import { Drain } from './common/lifecycle/drain.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';

/** Builds the HTTP application exactly as production runs it; `main.ts` and the tests both use it. */
export async function createApp(config: AppConfig, logger: Logger = createLogger(config)): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createAdapter(config, logger),
    appOptions(logger),
  );
  return configureApp(app);
}

export function appOptions(logger: Logger): NestApplicationOptions {
  return {
    logger: new NestPinoLogger(logger),
    // Nest's parsers would answer 415/400 before authentication; ours (registerBodyParser) defers.
    bodyParser: false,
  };
}

export function createAdapter(config: AppConfig, logger: Logger): FastifyAdapter {
  return new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    // A client gets REQUEST_TIMEOUT_MS to send a whole request, headers and body (Fastify's default is
    // no limit: headers and half a body held a connection, and a shutdown, for ever). Node checks the
    // open requests every `connectionsCheckingInterval`, so a late one is cut within a second.
    requestTimeout: config.requestTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    },
    // `request.ip` is the peer's address unless proxies are configured whose X-Forwarded-For to believe.
    trustProxy: config.trustProxy,
    genReqId: correlationIdOf,
    // Every request log line is labelled with the correlation id rather than Fastify's `reqId`.
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    routerOptions: { ignoreTrailingSlash: true, constraints: { mediaType: mediaTypeConstraint } },
    // A URL the router cannot even read (bad percent-encoding, an overlong parameter) is refused before
    // any hook runs: answer it in PingOne's format too, with the correlation id, not Fastify's own body.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('correlation-id', request.id);
      replyWithError(request, reply, error);
    },
    // What Node's HTTP parser cannot read (a malformed header or chunk) is answered in the same format.
    clientErrorHandler: answerClientError,
  });
}

/** Wiring that must happen on the Fastify instance itself, before routes are registered. */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  const fastify = app.getHttpAdapter().getInstance();
  const routes = app.get(RouteCatalog);
  fastify.addHook('onRoute', (route) => {
    const mediaType = (route.constraints as { mediaType?: string } | undefined)?.mediaType;
    for (const method of [route.method].flat()) routes.add(method, route.url, mediaType);
  });
  registerRequestMetrics(fastify, app.get(Metrics));
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('correlation-id', request.id);
  });
  registerBodyParser(fastify);
  registerPathIdParsing(fastify);
  // SIGTERM/SIGINT are handled in main.ts (shutDownOnSignals): the drain comes before Nest's own close.
  app.get(Drain).register(fastify, app.get<AppConfig>(APP_CONFIG).requestTimeoutMs);
  await app.init();
  // Once, at start: the document describes the code, which does not change while the service runs.
  app.get(OpenApiDocument).publish(buildOpenApiDocument(app));
  await fastify.ready();
  return app;
}
