import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/index.js';
import { MetricsModule } from '../common/metrics/metrics.module.js';
import { EventsModule } from '../events/events.module.js';
import { AccountRepository } from './account/account.repository.js';
import { AccountService } from './account/account.service.js';
import { AccountActionsController } from './account-actions.controller.js';
import { UserPresenter } from './user.presenter.js';
import { UserSubresourcesController } from './user-subresources.controller.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/** Users, and their account state (account/), which every other feature changes only through AccountService. */
@Module({
  imports: [EventsModule, MetricsModule, EnvironmentsModule],
  controllers: [UsersController, AccountActionsController, UserSubresourcesController],
  providers: [UsersRepository, UsersService, AccountRepository, AccountService, UserPresenter],
  exports: [UsersService, AccountService, UserPresenter],
})
export class UsersModule {}
