import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { pino } from 'pino';
import { roleByName } from '../../src/common/authorization/roles.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import { OpenApiDocument } from '../../src/common/openapi/openapi-document.holder.js';
import { AppModule } from '../../src/app.module.js';
import { ApplicationsService } from '../../src/applications/applications.service.js';
import { appOptions, configureApp, createAdapter } from '../../src/app.setup.js';
import { type AppConfig, loadConfig, NO_RATE_LIMITS } from '../../src/config/app-config.js';
import { DATABASE, type Database, openEmbedded, openPostgres } from '../../src/database/database.js';
import { type BootstrapResult, BootstrapService } from '../../src/bootstrap/bootstrap.service.js';
import { type Api, checkedApi } from './api.js';
import { ResponseContract } from './contract.js';

export const BASE_URL = 'http://localhost:3000';
/** Every suite encrypts with this key (32 bytes, base64url), like instances sharing one database. */
export const TEST_ENCRYPTION_KEY = 'dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0hISE';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Requests without a token. Every response is checked against the OpenAPI document (./api.ts). */
  http: Api;
  /** Requests with `Authorization: Bearer <token>`, checked the same way. */
  as(token: string): Api;
  close(): Promise<void>;
}

export interface TestEnvironment extends BootstrapResult {
  token: string;
}

export const usesEmbeddedDatabase = (): boolean => process.env.TEST_DATABASE === 'embedded';

/** Opens the database the suite runs on: the test Postgres, or a PGlite loaded from the snapshot. */
export async function openTestDatabase(config: AppConfig): Promise<Database> {
  if (!usesEmbeddedDatabase()) return openPostgres(config.databaseUrl as string, config.databasePoolSize);
  return openEmbedded(await PGlite.create(snapshotOptions()));
}

/** The configuration every test runs with, on the test database. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...loadConfig({ ...process.env, PUBLIC_BASE_URL: BASE_URL, LOG_LEVEL: 'silent' }),
    ...(usesEmbeddedDatabase() ? { databaseUrl: undefined } : {}),
    lockSweepIntervalMs: 0, // suites share one database: a background sweep would unlock other suites' expired locks
    eventRelay: false, // likewise: suites that deliver events start their relay themselves
    // Every suite calls from 127.0.0.1 and the counters outlive a run in the shared database:
    // the suites that test the limits turn them on, on a database of their own.
    rateLimits: NO_RATE_LIMITS,
    encryptionKeys: [TEST_ENCRYPTION_KEY],
    ...overrides,
  };
}

/** The real AppModule on the real database, with production's request pipeline. */
export async function startApp(overrides: Partial<AppConfig> = {}, database?: () => Promise<Database>): Promise<TestApp> {
  const config = testConfig(overrides);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(DATABASE)
    .useFactory({
      factory: async () => {
        if (database) return database();
        const db = await openTestDatabase(config);
        await db.migrate();
        return db;
      },
    })
    .compile();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config, logger), appOptions(logger));
  await configureApp(app);
  const contract = contractFor(app.get(OpenApiDocument));
  const server = app.getHttpServer();
  return {
    app,
    config,
    http: checkedApi(server, contract),
    as: (token) => checkedApi(server, contract, { Authorization: `Bearer ${token}` }),
    close: () => app.close(),
  };
}

/** One contract per document: the apps of a suite serve the same one, and share its compiled schemas. */
const contracts = new Map<string, ResponseContract>();
function contractFor({ document, json }: OpenApiDocument): ResponseContract {
  let contract = contracts.get(json);
  if (!contract) contracts.set(json, (contract = new ResponseContract(document)));
  return contract;
}

/**
 * Data made by one app, then a second app with `overrides` on that same data: for settings that
 * must name data at start (a trusted issuer's environment). On PGlite the second app gets a copy
 * of the first one's data directory, since each embedded database belongs to one app.
 */
export async function restartWith<T>(
  prepare: (t: TestApp) => Promise<T>,
  overrides: (data: T) => Partial<AppConfig>,
): Promise<{ t: TestApp; data: T }> {
  if (!usesEmbeddedDatabase()) {
    const setup = await startApp();
    const data = await prepare(setup).finally(() => setup.close());
    return { t: await startApp(overrides(data)), data };
  }
  let first: PGlite | undefined;
  const setup = await startApp({}, async () => {
    first = await PGlite.create(snapshotOptions());
    const db = openEmbedded(first);
    await db.migrate();
    return db;
  });
  let copy: Blob;
  const data = await prepare(setup);
  try {
    copy = await (first as PGlite).dumpDataDir('none');
  } finally {
    await setup.close();
  }
  const t = await startApp(overrides(data), async () => openEmbedded(await PGlite.create({ loadDataDir: copy })));
  return { t, data };
}

function snapshotOptions(): { loadDataDir?: Blob } {
  const snapshot = process.env.TEST_PGLITE_SNAPSHOT;
  return snapshot ? { loadDataDir: new Blob([readFileSync(snapshot)]) } : {};
}

/** A fresh environment with its admin worker and a token for it: each suite owns its data. */
export async function createEnvironment(testApp: TestApp): Promise<TestEnvironment> {
  const created = await testApp.app.get(BootstrapService).createEnvironment('Test');
  const token = await tokenFor(testApp, created);
  return { ...created, token };
}

export async function tokenFor(
  testApp: TestApp,
  env: Pick<BootstrapResult, 'environmentId' | 'clientId' | 'clientSecret'>,
): Promise<string> {
  const response = await testApp.http
    .post(`/${env.environmentId}/as/token`)
    .auth(env.clientId, env.clientSecret)
    .type('form')
    .send({ grant_type: 'client_credentials' })
    .expect(200);
  return (response.body as { access_token: string }).access_token;
}

export const usersPath = (env: { environmentId: string }) => `/v1/environments/${env.environmentId}/users`;

/** @deprecated Use `MediaTypes.ACCOUNT_UNLOCK`: kept for the integration suites that still import it. */
export const UNLOCK: string = MediaTypes.ACCOUNT_UNLOCK;

/** Creates a user through the API and returns its body. */
export async function createUser(testApp: TestApp, env: TestEnvironment, body: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await testApp.as(env.token).post(usersPath(env)).type(MediaTypes.JSON).send(body).expect(201);
  return response.body as Record<string, any>;
}

export async function lockUser(testApp: TestApp, env: TestEnvironment, userId: string, body?: object): Promise<void> {
  const req = testApp
    .as(env.token)
    .post(`${usersPath(env)}/${userId}`)
    .type(MediaTypes.ACCOUNT_LOCK);
  await (body ? req.send(JSON.stringify(body)) : req).expect(200);
}

export interface TestWorker {
  clientId: string;
  clientSecret: string;
  token: string;
}

/**
 * A worker application of `env` holding exactly `grants` (assigned through the API by the
 * environment's admin), and a token for it.
 */
export async function createWorker(
  testApp: TestApp,
  env: TestEnvironment,
  grants: { role: string; scope?: { type: 'ENVIRONMENT' | 'POPULATION'; id: string } }[],
): Promise<TestWorker> {
  const app = await testApp.app
    .get(ApplicationsService)
    .createWorker(env.environmentId, `Worker ${grants.map((g) => g.role).join(', ') || 'without roles'}`);
  for (const grant of grants) {
    const role = roleByName(grant.role);
    if (!role) throw new Error(`no role named ${grant.role}`);
    await testApp
      .as(env.token)
      .post(`/v1/environments/${env.environmentId}/applications/${app.id}/roleAssignments`)
      .type(MediaTypes.JSON)
      .send({ role: { id: role.id }, scope: grant.scope ?? { type: 'ENVIRONMENT', id: env.environmentId } })
      .expect(201);
  }
  const token = await tokenFor(testApp, { environmentId: env.environmentId, clientId: app.id, clientSecret: app.clientSecret });
  return { clientId: app.id, clientSecret: app.clientSecret, token };
}

/** A population of `env`, created through the API. */
export async function createPopulation(testApp: TestApp, env: TestEnvironment, name: string): Promise<string> {
  const response = await testApp
    .as(env.token)
    .post(`/v1/environments/${env.environmentId}/populations`)
    .type(MediaTypes.JSON)
    .send({ name })
    .expect(201);
  return (response.body as { id: string }).id;
}
