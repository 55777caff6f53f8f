import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { ScrapeGauges } from './scrape-gauges.js';

/** `GET /metrics` and the gauges read when it is scraped; the counters live in common/metrics, where every feature reaches them. */
@Module({ controllers: [MetricsController], providers: [MetricsTokenGuard, ScrapeGauges] })
export class MetricsEndpointModule {}
