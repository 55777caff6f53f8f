import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorDetail } from '../errors/domain-error.js';
import { ERROR_MAP } from '../errors/error-map.js';

/** The top-level codes the service answers with: every code of the error map, and no other. */
export const PINGONE_ERROR_CODES = [...new Set(Object.values(ERROR_MAP).map((shape) => shape.code))].sort();

export class PingOneErrorDetail implements ErrorDetail {
  @ApiProperty({ description: 'What is wrong, e.g. `INVALID_VALUE`, `REQUIRED_VALUE`, `UNIQUENESS_VIOLATION`, `PASSWORD_LOCKED_OUT`.' })
  code!: string;

  @ApiPropertyOptional({ description: 'The attribute, parameter or header concerned, e.g. `username`, `population.id`, `Content-Type`.' })
  target?: string;

  @ApiProperty()
  message!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Details of the failure: `allowedValues`, `rangeMinimumValue`/`rangeMaximumValue`, `existingId`, `failuresRemaining`, `secondsUntilUnlock`, ...',
  })
  innerError?: Record<string, unknown>;
}

/** PingOne's error body: every non-2xx answer of the management API and of `/health`. */
export class PingOneError {
  @ApiProperty({ description: 'Identifies this error in the service log.' })
  id!: string;

  @ApiProperty({ enum: PINGONE_ERROR_CODES })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiPropertyOptional({ type: () => [PingOneErrorDetail] })
  details?: PingOneErrorDetail[];
}
