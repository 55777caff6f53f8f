import { ApiProperty } from '@nestjs/swagger';
import { IdField } from './ids.js';

/** A reference to another resource by id, as PingOne writes it: `{"id": "..."}`. */
export class IdRefDto {
  @ApiProperty({ format: 'uuid' }) @IdField() id!: string;
}
