import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module.js';
import { SigningKeysService } from '../auth/signing-keys.service.js';
import { createLogger, NestPinoLogger } from '../common/logging.js';
import { buildOpenApiDocument } from '../common/openapi/openapi-document.js';
import { type AppConfig, InvalidConfiguration, loadConfig } from '../config/app-config.js';
import { type DeviceSecretCounts, type ReencryptionCounts, ReencryptionService } from '../crypto/reencryption.service.js';
import { openDatabase } from '../database/database.js';
import { BootstrapService } from '../bootstrap/bootstrap.service.js';

const USAGE = `Usage:
  npm run cli -- bootstrap [--json]            create an environment, its default population and an admin worker
  npm run cli -- migrate                       apply pending database migrations
  npm run cli -- rotate-signing-key [--json]   make a new key sign tokens; the old one verifies until its tokens expire
  npm run cli -- reencrypt-secrets             re-encrypt every secret made with an older key of ENCRYPTION_KEYS with the first
  npm run cli -- openapi [FILE]                write the OpenAPI document (no database needed) to FILE, or to standard output`;

type Command = (app: INestApplicationContext, flags: string[]) => Promise<number>;

const commands = new Map<string, Command>(
  Object.entries({
    bootstrap: async (app, flags) => {
      const bootstrap = app.get(BootstrapService);
      const result = await bootstrap.createEnvironment();
      process.stdout.write(flags.includes('--json') ? `${JSON.stringify(result)}\n` : `${bootstrap.instructions(result)}\n`);
      return 0;
    },
    'rotate-signing-key': async (app, flags) => {
      const kid = await app.get(SigningKeysService).rotate();
      process.stdout.write(flags.includes('--json') ? `${JSON.stringify({ kid })}\n` : `New signing key: ${kid}\n`);
      return 0;
    },
    'reencrypt-secrets': async (app) => {
      const report = await app.get(ReencryptionService).reencryptStale();
      process.stdout.write(
        `Signing keys:         ${describe(report.signingKeys)}\nApplication secrets:  ${describe(report.applicationSecrets)}\nSubscription secrets: ${describe(report.subscriptionSecrets)}\nTOTP device secrets:  ${describe(report.mfaDeviceSecrets)}\n`,
      );
      const counts = [report.signingKeys, report.applicationSecrets, report.subscriptionSecrets, report.mfaDeviceSecrets];
      if (counts.some((c) => c.undecryptable > 0)) {
        console.error('Some secrets were encrypted with a key that is not in ENCRYPTION_KEYS (listed above).');
        return 1;
      }
      if (counts.some((c) => c.changed > 0)) {
        console.error('Some secrets changed while this ran: run it again before removing an old key.');
        return 1;
      }
      return 0;
    },
  } satisfies Record<string, Command>),
);

function describe(c: ReencryptionCounts | DeviceSecretCounts): string {
  const plaintext = 'fromPlaintext' in c ? `, ${c.fromPlaintext} encrypted from plaintext` : '';
  return `${c.reencrypted} re-encrypted, ${c.current} already current, ${c.changed} changed meanwhile, ${c.undecryptable} undecryptable${plaintext}`;
}

async function run(args: string[]): Promise<number> {
  const [command, ...flags] = args;
  if (command === 'migrate') return migrate({ ...loadConfig(), logLevel: 'warn' });
  if (command === 'openapi') return openApi(flags[0]);
  const handler = command === undefined ? undefined : commands.get(command);
  if (!handler) {
    console.error(USAGE);
    return 2;
  }
  // A one-off command leaves sweeping expired locks to the running service.
  const config: AppConfig = { ...loadConfig(), logLevel: 'warn', lockSweepIntervalMs: 0 };
  // Logs go to stderr so that `--json` output is the only thing on stdout.
  const logger = createLogger(config, 2);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: new NestPinoLogger(logger) });
  try {
    return await handler(app, flags);
  } finally {
    await app.close();
  }
}

/**
 * The document of the code, without a database or any setting of this machine: Nest's preview mode
 * builds the module graph and reads the routes without creating a provider, so nothing connects.
 */
async function openApi(file: string | undefined): Promise<number> {
  const config = loadConfig({ DATA_DIR: 'memory://', BOOTSTRAP_ON_EMPTY: 'false', LOG_LEVEL: 'error' });
  const logger = createLogger(config, 2);
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: new NestPinoLogger(logger),
  });
  try {
    const json = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
    if (file) {
      await writeFile(file, json);
      console.error(`Wrote ${file}`);
    } else {
      process.stdout.write(json);
    }
    return 0;
  } finally {
    await app.close();
  }
}

async function migrate(config: AppConfig): Promise<number> {
  const database = await openDatabase(config);
  try {
    const applied = await database.migrate();
    console.error(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Migrations are up to date.');
    return 0;
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof InvalidConfiguration ? error.message : error);
    process.exit(1);
  },
);
