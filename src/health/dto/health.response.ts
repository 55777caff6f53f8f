import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ enum: ['UP'] }) status!: 'UP';
}

/** Each dependency readiness waited for; a dependency that is down makes the answer a 503 instead. */
export class ReadinessChecks {
  @ApiProperty({ enum: ['UP'], description: 'The database answered.' }) database!: 'UP';

  @ApiPropertyOptional({
    enum: ['UP'],
    description: 'Connected to NATS. Present only when this instance publishes events to NATS (`NATS_URL` set, `EVENT_RELAY` on).',
  })
  nats?: 'UP';
}

export class ReadinessResponse {
  @ApiProperty({ enum: ['UP'] }) status!: 'UP';
  @ApiProperty({ type: ReadinessChecks }) checks!: ReadinessChecks;
}
