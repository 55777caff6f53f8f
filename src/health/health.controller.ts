import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/authorization/public.decorator.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { HealthResponse } from './dto/health.response.js';
import { HealthRepository } from './health.repository.js';

/** Liveness and readiness for orchestrators: 200 when the database answers, 503 otherwise. */
@ApiTags('Health')
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly health: HealthRepository) {}

  @Get()
  @ApiOperation({ summary: 'Whether the service can serve requests' })
  @ApiOkResponse({ type: HealthResponse, description: 'The database answers.' })
  @ApiPingOneError(503, 'The database does not answer.')
  async check(): Promise<HealthResponse> {
    await this.health.ping();
    return { status: 'UP' };
  }
}
