import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { RequestContext } from '../../src/common/context/request-context.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { CryptoModule } from '../../src/crypto/crypto.module.js';
import { DATABASE } from '../../src/database/database.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { EnvironmentsService } from '../../src/environments/index.js';
import { type User, UsersService } from '../../src/users/index.js';
import { openTestDatabase, testConfig } from './test-app.js';

/**
 * The service tier: one feature's module with its real services and repositories on the real test
 * database, and nothing else (no HTTP, no guards, no other feature unless the feature imports it).
 * It sits between the unit tests (pure rules) and the e2e tests (the whole application over HTTP).
 */
export interface ServiceHarness {
  get<T>(type: Type<T>): T;
  /** A request context of a made-up caller, for services that record events. */
  context: RequestContext;
  /** A new environment with its default population. */
  environment(): Promise<{ environmentId: string; populationId: string }>;
  /** A new user of `environmentId` (UsersModule must be part of the feature). */
  user(environmentId: string, username?: string): Promise<User>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Sees every statement Prisma sends (to check documented SQL against the code's). */
  onQuery?: (query: string, params: unknown[]) => void;
}

export async function serviceHarness(
  feature: Type<unknown>,
  overrides: Partial<AppConfig> = {},
  { onQuery }: HarnessOptions = {},
): Promise<ServiceHarness> {
  const config = testConfig(overrides);
  const moduleRef: TestingModule = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), DatabaseModule, CryptoModule, feature],
  })
    .overrideProvider(DATABASE)
    .useFactory({
      factory: async () => {
        const database = await openTestDatabase(config);
        await database.migrate();
        return onQuery ? { ...database, onQuery } : database;
      },
    })
    .compile();
  await moduleRef.init();
  const context = (environmentId: string): RequestContext => ({
    correlationId: `service-${randomUUID()}`,
    principal: { clientId: randomUUID(), clientName: 'service test', environmentId, grants: { from: 'token', grants: [] } },
  });
  return {
    get: (type) => moduleRef.get(type, { strict: false }),
    context: context(randomUUID()),
    async environment() {
      const ids = { environmentId: randomUUID(), populationId: randomUUID() };
      await moduleRef.get(EnvironmentsService, { strict: false }).createWithDefaultPopulation({ ...ids, name: 'Service test' });
      return ids;
    },
    user: (environmentId, username = `user-${randomUUID()}`) =>
      moduleRef.get(UsersService, { strict: false }).create(environmentId, { username }, context(environmentId), { kind: 'environment' }),
    close: () => moduleRef.close(),
  };
}
