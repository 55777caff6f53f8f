import { isatty } from 'node:tty';
import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/app-config.js';

export type LogFormat = 'json' | 'pretty';

/** Where the log goes: a file descriptor (1 standard output, 2 standard error) or a stream (tests). */
export type LogDestination = 1 | 2 | (NodeJS.WritableStream & { isTTY?: boolean });

/**
 * JSON lines for machines (a pipe, a file, a container's log collector), readable lines for a
 * person: `auto` chooses by whether the log goes to a terminal; `json` and `pretty` force one.
 */
export function logFormatFor(setting: AppConfig['logFormat'], toTerminal: boolean): LogFormat {
  if (setting === 'auto') return toTerminal ? 'pretty' : 'json';
  return setting;
}

/**
 * One pino logger for the whole process: Fastify logs each request with it (tagged with the
 * correlation id) and Nest's own messages go through `NestPinoLogger`. Credentials never reach it.
 * Readable lines are formatted in this process, synchronously, so that they keep their order with
 * what is written to standard output directly (the first-start block).
 */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>, destination: LogDestination = 1): Logger {
  const toTerminal = typeof destination === 'number' ? isatty(destination) : destination.isTTY === true;
  const stream: DestinationStream =
    logFormatFor(config.logFormat, toTerminal) === 'pretty'
      ? pretty({
          destination,
          sync: true,
          colorize: toTerminal,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname',
        })
      : typeof destination === 'number'
        ? pino.destination(destination)
        : destination;
  return pino(
    {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.clientSecret',
          '*.client_secret',
          '*.secret',
          '*.previous.secret',
          '*.otp',
          '*.newPassword',
          '*.currentPassword',
        ],
        censor: '[redacted]',
      },
    },
    stream,
  );
}

/** Nest's start-up chatter (a line per module and per route, about 90 in all): kept at debug level. */
const START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    if (context !== undefined && START_UP_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
