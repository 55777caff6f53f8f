import { Module } from '@nestjs/common';
import { AccessModule } from '../access/index.js';
import { ApplicationsModule } from '../applications/index.js';
import { EnvironmentsModule } from '../environments/index.js';
import { PasswordsModule } from '../passwords/index.js';
import { BootstrapService } from './bootstrap.service.js';

/** A working starting point: an environment with its default population, policy and admin worker. */
@Module({
  imports: [EnvironmentsModule, PasswordsModule, ApplicationsModule, AccessModule],
  providers: [BootstrapService],
  exports: [BootstrapService],
})
export class BootstrapModule {}
