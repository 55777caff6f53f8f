import { Module } from '@nestjs/common';
import { MetricsModule } from '../common/metrics/metrics.module.js';
import { RateLimits } from './rate-limits.service.js';

/** Brute-force limits of the token endpoint, password checks and OTP checks. */
@Module({
  imports: [MetricsModule],
  providers: [RateLimits],
  exports: [RateLimits],
})
export class RateLimitsModule {}
