import { IdField } from './ids.js';

/** A reference to another resource by id, as PingOne writes it: `{"id": "..."}`. */
export class IdRefDto {
  @IdField() id!: string;
}
