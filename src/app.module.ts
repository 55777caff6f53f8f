import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AccessGuard } from './access/access.guard.js';
import { AccessModule } from './access/access.module.js';
import { ActivitiesModule } from './activities/activities.module.js';
import { ApplicationsModule } from './applications/applications.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { BootstrapModule } from './bootstrap/bootstrap.module.js';
import { PingOneExceptionFilter } from './common/errors/exception.filter.js';
import { MediaTypeGuard } from './common/http/media-type.guard.js';
import { LifecycleModule } from './common/lifecycle/lifecycle.module.js';
import { MetricsModule } from './common/metrics/metrics.module.js';
import { OpenApiModule } from './common/openapi/openapi.module.js';
import { RouteCatalog } from './common/http/route-catalog.js';
import { PathIdsGuard } from './common/params/path-ids.js';
import { RequestValidationPipe } from './common/validation/validation.pipe.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { CryptoModule } from './crypto/crypto.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EnvironmentsModule } from './environments/environments.module.js';
import { EventsModule } from './events/events.module.js';
import { GroupsModule } from './groups/groups.module.js';
import { HealthModule } from './health/health.module.js';
import { LockoutModule } from './lockout/lockout.module.js';
import { MetricsEndpointModule } from './metrics/metrics-endpoint.module.js';
import { MfaModule } from './mfa/mfa.module.js';
import { PasswordsModule } from './passwords/passwords.module.js';
import { SubscriptionsModule } from './subscriptions/subscriptions.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  /**
   * The whole service. Guards, pipe and filter are providers here (not set in main.ts), so a test
   * that compiles this module gets exactly production's request pipeline. Guards run in order:
   * authentication (401), then authorization (403), then the media type (415), then the path's ids (400).
   */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        MetricsModule,
        LifecycleModule,
        CryptoModule,
        AccessModule,
        AuthModule,
        ApplicationsModule,
        EventsModule,
        EnvironmentsModule,
        BootstrapModule,
        UsersModule,
        GroupsModule,
        PasswordsModule,
        MfaModule,
        LockoutModule,
        HealthModule,
        MetricsEndpointModule,
        ActivitiesModule,
        SubscriptionsModule,
        OpenApiModule,
      ],
      providers: [
        RouteCatalog,
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_GUARD, useClass: MediaTypeGuard },
        { provide: APP_GUARD, useClass: PathIdsGuard },
        { provide: APP_PIPE, useClass: RequestValidationPipe },
        { provide: APP_FILTER, useClass: PingOneExceptionFilter },
      ],
    };
  }
}
