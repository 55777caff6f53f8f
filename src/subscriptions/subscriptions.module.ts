import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/index.js';
import { EnvironmentsModule } from '../environments/index.js';
import { SubscriptionPresenter } from './subscription.presenter.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** Webhook subscriptions: PingOne's API over the relay's delivery. */
@Module({
  imports: [EnvironmentsModule, ApplicationsModule],
  controllers: [SubscriptionsController],
  providers: [SubscriptionsRepository, SubscriptionsService, SubscriptionPresenter],
})
export class SubscriptionsModule {}
