import { Module } from '@nestjs/common';
import { AccessModule } from '../access/index.js';
import { ApplicationsModule } from '../applications/index.js';
import { RateLimitsModule } from '../rate-limits/index.js';
import { AuthGuard } from './auth.guard.js';
import { ExternalTokensVerifier } from './external-tokens.verifier.js';
import { SigningKeysRepository } from './signing-keys.repository.js';
import { SigningKeysService } from './signing-keys.service.js';
import { TokenController } from './token.controller.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [ApplicationsModule, AccessModule, RateLimitsModule],
  controllers: [TokenController],
  providers: [SigningKeysRepository, SigningKeysService, ExternalTokensVerifier, TokenService, AuthGuard],
  exports: [ApplicationsModule, TokenService, AuthGuard],
})
export class AuthModule {}
