import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { createLogger, NestPinoLogger } from '../common/logging.js';
import { InvalidConfiguration, loadConfig } from '../config/app-config.js';
import { openDatabase } from '../database/database.js';
import { BootstrapService } from '../environments/bootstrap.service.js';

const USAGE = `Usage:
  npm run cli -- bootstrap [--json]   create an environment, its default population and an admin worker
  npm run cli -- migrate              apply pending database migrations`;

async function run(args: string[]): Promise<number> {
  const [command, ...flags] = args;
  if (command !== 'bootstrap' && command !== 'migrate') {
    console.error(USAGE);
    return 2;
  }
  const config = { ...loadConfig(), logLevel: 'warn' as const };
  if (command === 'migrate') {
    const database = await openDatabase(config);
    try {
      const applied = await database.migrate();
      console.error(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Migrations are up to date.');
      return 0;
    } finally {
      await database.close();
    }
  }
  // Logs go to stderr so that `bootstrap --json` prints only its JSON on stdout.
  const logger = createLogger(config, 2);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: new NestPinoLogger(logger) });
  try {
    const bootstrap = app.get(BootstrapService);
    const result = await bootstrap.createEnvironment();
    process.stdout.write(flags.includes('--json') ? `${JSON.stringify(result)}\n` : `${bootstrap.instructions(result)}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof InvalidConfiguration ? error.message : error);
    process.exit(1);
  },
);
