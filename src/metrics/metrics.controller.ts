import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/authorization/public.decorator.js';
import { Metrics } from '../common/metrics/metrics.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { METRICS_SCHEME } from '../common/openapi/openapi-document.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';

/** Prometheus metrics of this instance (docs/operations.md lists them). Its own token, not an access token. */
@ApiTags('Metrics')
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @UseGuards(MetricsTokenGuard)
  @Header('cache-control', 'no-store')
  @ApiSecurity(METRICS_SCHEME)
  @ApiOperation({
    summary: "This instance's Prometheus metrics",
    description:
      'Served only when `METRICS_TOKEN` is set, to requests that send it as a bearer token. Each instance has its own: scrape every instance, not a load balancer in front of them.',
  })
  @ApiOkResponse({
    description: 'The Prometheus text exposition format, version 0.0.4.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiPingOneError(401, 'The metrics token is missing or wrong (header `WWW-Authenticate: Bearer`).')
  @ApiPingOneError(404, 'Metrics are not served: `METRICS_TOKEN` is not set.')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type(this.metrics.contentType);
    return this.metrics.exposition();
  }
}
