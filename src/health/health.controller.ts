import { Controller, Get } from '@nestjs/common';
import { Public } from '../common/authorization/public.decorator.js';
import { HealthRepository } from './health.repository.js';

/** Liveness and readiness for orchestrators: 200 when the database answers, 503 otherwise. */
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly health: HealthRepository) {}

  @Get()
  async check(): Promise<{ status: 'UP' }> {
    await this.health.ping();
    return { status: 'UP' };
  }
}
