import { Module } from '@nestjs/common';
import { RateLimits } from './rate-limits.service.js';

/** Brute-force limits of the token endpoint, password checks and OTP checks. */
@Module({
  providers: [RateLimits],
  exports: [RateLimits],
})
export class RateLimitsModule {}
