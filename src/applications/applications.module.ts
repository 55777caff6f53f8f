import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { ApplicationPresenter } from './application.presenter.js';
import { ApplicationSecretsService } from './application-secrets.service.js';
import { ApplicationsController } from './applications.controller.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';
import { ClientAuthenticator } from './client-authenticator.js';

@Module({
  imports: [AccessModule],
  controllers: [ApplicationsController],
  providers: [ApplicationsRepository, ApplicationsService, ApplicationSecretsService, ApplicationPresenter, ClientAuthenticator],
  exports: [ApplicationsService, ClientAuthenticator],
})
export class ApplicationsModule {}
