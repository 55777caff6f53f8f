import { Module } from '@nestjs/common';
import { AccessModule } from '../access/index.js';
import { EventsModule } from '../events/events.module.js';
import { ApplicationEvents } from './application-events.js';
import { ApplicationPresenter } from './application.presenter.js';
import { ApplicationSecretsService } from './application-secrets.service.js';
import { ApplicationsController } from './applications.controller.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';
import { ClientAuthenticator } from './client-authenticator.js';

@Module({
  imports: [AccessModule, EventsModule],
  controllers: [ApplicationsController],
  providers: [
    ApplicationEvents,
    ApplicationsRepository,
    ApplicationsService,
    ApplicationSecretsService,
    ApplicationPresenter,
    ClientAuthenticator,
  ],
  exports: [ApplicationsService, ClientAuthenticator],
})
export class ApplicationsModule {}
