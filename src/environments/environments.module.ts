import { Module } from '@nestjs/common';
import { EnvironmentsRepository } from './environments.repository.js';
import { EnvironmentsService } from './environments.service.js';
import { PopulationsController } from './populations.controller.js';
import { PopulationsRepository } from './populations.repository.js';
import { PopulationsService } from './populations.service.js';

/** Environments and their populations. */
@Module({
  controllers: [PopulationsController],
  providers: [EnvironmentsRepository, EnvironmentsService, PopulationsRepository, PopulationsService],
  exports: [EnvironmentsService, PopulationsService],
})
export class EnvironmentsModule {}
