import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import { Drain } from './drain.js';

/**
 * What the end of a drain keeps for stopping the background jobs and closing the database and
 * NATS: a quarter of SHUTDOWN_DRAIN_MS, at most 2 s (each of them takes milliseconds when healthy).
 */
export function closingReserveMs(shutdownDrainMs: number): number {
  return Math.min(2000, Math.floor(shutdownDrainMs / 4));
}

/**
 * Shuts the application down in order (docs/shutdown.md) and resolves with the exit code:
 * 1. drain: new requests get 503, the listening socket and idle connections close, the requests in
 *    flight finish (until SHUTDOWN_DRAIN_MS minus the closing reserve, then their connections close);
 * 2. `app.close()`: the background jobs stop (onModuleDestroy), the HTTP server closes, and only
 *    then the database pools (onApplicationShutdown);
 * If all that is not over within SHUTDOWN_DRAIN_MS, the process exits anyway, with code 1.
 */
export async function shutDown(app: INestApplication, config: AppConfig, logger: Logger, signal: string): Promise<number> {
  const started = Date.now();
  const hardStop = setTimeout(() => {
    logger.error({ signal, shutdownDrainMs: config.shutdownDrainMs }, 'shutdown did not finish within SHUTDOWN_DRAIN_MS: exiting now');
    process.exit(1);
  }, config.shutdownDrainMs);
  hardStop.unref();
  const drain = app.get(Drain);
  logger.info(
    { signal, requestsInFlight: drain.requestsInFlight, shutdownDrainMs: config.shutdownDrainMs },
    `${signal}: shutting down, refusing new requests and finishing the ${drain.requestsInFlight} in flight`,
  );
  const { inFlight, cut } = await drain.drain(started + config.shutdownDrainMs - closingReserveMs(config.shutdownDrainMs));
  const drained = { inFlight, cut, ms: Date.now() - started };
  if (cut > 0) logger.warn(drained, `drain deadline reached: closed ${cut} unfinished requests`);
  else logger.info(drained, `drained ${inFlight} requests in flight`);
  try {
    await app.close();
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed after the drain');
    return 1;
  } finally {
    clearTimeout(hardStop);
  }
  logger.info({ ms: Date.now() - started }, 'shut down');
  return 0;
}

/**
 * SIGTERM and SIGINT shut down gracefully (`shutDown`), then exit. A second signal during the
 * shutdown exits at once, with code 1 (a second Ctrl-C in a terminal).
 */
export function shutDownOnSignals(app: INestApplication, config: AppConfig, logger: Logger): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn({ signal }, `${signal} again: exiting without waiting`);
      process.exit(1);
    }
    shuttingDown = true;
    void shutDown(app, config, logger, signal).then((code) => process.exit(code));
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, onSignal);
}
