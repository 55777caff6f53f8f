import 'reflect-metadata';
import { createApp } from './app.setup.js';
import { shutDownOnSignals } from './common/lifecycle/graceful-shutdown.js';
import { createLogger } from './common/logging.js';
import { databaseDescription, serviceVersion } from './common/service-info.js';
import { InvalidConfiguration, loadConfig } from './config/app-config.js';
import { BootstrapService } from './bootstrap/bootstrap.service.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const app = await createApp(config, logger);
  if (!config.databaseUrl) {
    logger.warn(
      { dataDir: config.dataDir },
      'DATABASE_URL is not set: using the embedded database (one connection; for local use and demos)',
    );
  }
  if (config.bootstrapOnEmpty) {
    const bootstrap = app.get(BootstrapService);
    const created = await bootstrap.createFirstEnvironment();
    // Printed once, as plain text beside the JSON log rather than in it. Where stdout is collected
    // (containers), set BOOTSTRAP_ON_EMPTY=false and use `npm run -s cli -- bootstrap --json`.
    if (created)
      process.stdout.write(
        `\nFirst start: created an environment and an admin worker application.\n\n${bootstrap.instructions(created)}\n\n`,
      );
  }
  await app.listen({ port: config.port, host: config.host });
  shutDownOnSignals(app, config, logger);
  // The few lines a person starting the service wants (Nest's line per route is at debug level).
  const version = serviceVersion();
  logger.info({ version, node: process.version }, `identity user service ${version} on Node.js ${process.version}`);
  logger.info({ database: databaseDescription(config) }, `database: ${databaseDescription(config)}`);
  logger.info(
    { host: config.host, port: config.port, publicBaseUrl: config.publicBaseUrl, metrics: config.metricsToken !== undefined },
    `listening on http://${config.host}:${config.port} (public base URL ${config.publicBaseUrl}); ` +
      (config.metricsToken ? 'GET /metrics with METRICS_TOKEN' : 'metrics not served (METRICS_TOKEN unset)'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof InvalidConfiguration) {
    console.error(error.message);
  } else {
    console.error('The service failed to start:', error);
  }
  process.exit(1);
});
