import { Module } from '@nestjs/common';
import { MetricsModule } from '../common/metrics/metrics.module.js';
import { EventsModule } from '../events/events.module.js';
import { RateLimitsModule } from '../rate-limits/index.js';
import { UsersModule } from '../users/index.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPoliciesController } from './password-policies.controller.js';
import { PasswordPoliciesRepository } from './password-policies.repository.js';
import { PasswordPoliciesService } from './password-policies.service.js';
import { PasswordPolicyPresenter } from './password-policy.presenter.js';
import { PasswordPresenter } from './password.presenter.js';
import { PasswordsController } from './passwords.controller.js';
import { PasswordsRepository } from './passwords.repository.js';
import { PasswordsService } from './passwords.service.js';
import { UserImportController } from './user-import.controller.js';
import { UserImportService } from './user-import.service.js';

/** Password policies, the password endpoints and the password lockout. */
@Module({
  imports: [EventsModule, MetricsModule, UsersModule, RateLimitsModule],
  controllers: [PasswordPoliciesController, PasswordsController, UserImportController],
  providers: [
    PasswordHasher,
    PasswordPoliciesRepository,
    PasswordPoliciesService,
    PasswordPolicyPresenter,
    PasswordPresenter,
    PasswordsRepository,
    PasswordsService,
    UserImportService,
  ],
  exports: [PasswordHasher, PasswordsService, PasswordPoliciesService],
})
export class PasswordsModule {}
