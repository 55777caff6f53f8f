import { ApiProperty } from '@nestjs/swagger';

/** One HAL link relation: `{"href": "..."}`, an absolute URL under the public base URL. */
export class HalLink {
  @ApiProperty({ format: 'uri' })
  href!: string;
}

/** A reference to another resource by id, as PingOne writes it in responses: `{"id": "..."}`. */
export class IdReference {
  @ApiProperty({ format: 'uuid' })
  id!: string;
}

/** The links of a resource that links only to itself (collections, the role catalogue). */
export class SelfLinks {
  @ApiProperty({ type: () => HalLink })
  self!: HalLink;
}
