import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/authorization/public.decorator.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { HealthResponse, ReadinessResponse } from './dto/health.response.js';
import { HealthRepository } from './health.repository.js';
import { ReadinessService } from './readiness.service.js';

/** Liveness and readiness for orchestrators and load balancers (docs/operations.md). */
@ApiTags('Health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthRepository,
    private readonly readiness: ReadinessService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whether the service can serve requests: the database answers' })
  @ApiOkResponse({ type: HealthResponse, description: 'The database answers.' })
  @ApiPingOneError(503, 'The database does not answer.')
  async check(): Promise<HealthResponse> {
    await this.health.ping();
    return { status: 'UP' };
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process is up and answers HTTP',
    description: 'Touches no dependency: restart the process only when this fails, never because the database is down.',
  })
  @ApiOkResponse({ type: HealthResponse, description: 'The process answers.' })
  live(): HealthResponse {
    return { status: 'UP' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the database answers and, when this instance publishes to NATS, NATS is connected',
    description: 'Send traffic to this instance only while this answers 200.',
  })
  @ApiOkResponse({ type: ReadinessResponse, description: 'Every dependency is up.' })
  @ApiPingOneError(503, 'A dependency is down: each `details` entry names one (`target`: `database` or `nats`).')
  ready(): Promise<ReadinessResponse> {
    return this.readiness.check();
  }
}
