import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';
import { ClientAuthenticator } from './client-authenticator.js';

@Module({
  imports: [AccessModule],
  providers: [ApplicationsRepository, ApplicationsService, ClientAuthenticator],
  exports: [ApplicationsService, ClientAuthenticator],
})
export class ApplicationsModule {}
