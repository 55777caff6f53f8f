import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { BootstrapService } from './bootstrap.service.js';
import { EnvironmentsRepository } from './environments.repository.js';
import { PopulationsRepository } from './populations.repository.js';

@Module({
  imports: [AuthModule],
  providers: [EnvironmentsRepository, PopulationsRepository, BootstrapService],
  exports: [PopulationsRepository, BootstrapService],
})
export class EnvironmentsModule {}
