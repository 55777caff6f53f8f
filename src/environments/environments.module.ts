import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { BootstrapService } from './bootstrap.service.js';
import { EnvironmentsRepository } from './environments.repository.js';
import { PopulationsController } from './populations.controller.js';
import { PopulationsRepository } from './populations.repository.js';
import { PopulationsService } from './populations.service.js';

@Module({
  imports: [AuthModule, AccessModule],
  controllers: [PopulationsController],
  providers: [EnvironmentsRepository, PopulationsRepository, PopulationsService, BootstrapService],
  exports: [PopulationsRepository, BootstrapService],
})
export class EnvironmentsModule {}
