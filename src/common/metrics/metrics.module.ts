import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics.js';

/** The application's metrics registry: global, so that every feature counts into the one /metrics serves. */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
