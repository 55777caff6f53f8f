import { Module } from '@nestjs/common';
import { ActivitiesController } from './activities.controller.js';
import { ActivitiesRepository } from './activities.repository.js';
import { ActivitiesService } from './activities.service.js';
import { ActivityPresenter } from './activity.presenter.js';

/** The activity (audit) log, PingOne's `/activities`. */
@Module({
  controllers: [ActivitiesController],
  providers: [ActivitiesRepository, ActivitiesService, ActivityPresenter],
})
export class ActivitiesModule {}
