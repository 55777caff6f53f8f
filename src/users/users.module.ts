import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/index.js';
import { EventsModule } from '../events/events.module.js';
import { AccountActionsController } from './account-actions.controller.js';
import { AccountService } from './account.service.js';
import { UserPresenter } from './user.presenter.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [EventsModule, EnvironmentsModule],
  controllers: [UsersController, AccountActionsController],
  providers: [UsersRepository, UsersService, AccountService, UserPresenter],
  exports: [UsersRepository, UsersService, UserPresenter],
})
export class UsersModule {}
