import { Module } from '@nestjs/common';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';
import { AuthGuard } from './auth.guard.js';
import { SigningKeysRepository } from './signing-keys.repository.js';
import { SigningKeysService } from './signing-keys.service.js';
import { TokenController } from './token.controller.js';
import { TokenService } from './token.service.js';

@Module({
  controllers: [TokenController],
  providers: [ApplicationsRepository, ApplicationsService, SigningKeysRepository, SigningKeysService, TokenService, AuthGuard],
  exports: [ApplicationsService, TokenService, AuthGuard],
})
export class AuthModule {}
