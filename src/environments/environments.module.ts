import { Module } from '@nestjs/common';
import { EnvironmentPresenter } from './environment.presenter.js';
import { EnvironmentsController } from './environments.controller.js';
import { EnvironmentsRepository } from './environments.repository.js';
import { EnvironmentsService } from './environments.service.js';
import { PopulationPresenter } from './population.presenter.js';
import { PopulationsController } from './populations.controller.js';
import { PopulationsRepository } from './populations.repository.js';
import { PopulationsService } from './populations.service.js';

/** Environments and their populations. */
@Module({
  controllers: [EnvironmentsController, PopulationsController],
  providers: [
    EnvironmentPresenter,
    EnvironmentsRepository,
    EnvironmentsService,
    PopulationsRepository,
    PopulationsService,
    PopulationPresenter,
  ],
  exports: [EnvironmentsService, PopulationsService],
})
export class EnvironmentsModule {}
