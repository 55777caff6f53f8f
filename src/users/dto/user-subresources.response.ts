import { ApiProperty } from '@nestjs/swagger';
import { HalLink, SelfLinks } from '../../common/openapi/hal.js';

export class UserPopulationLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) user!: HalLink;
  @ApiProperty({ type: () => HalLink }) population!: HalLink;
}

/** PingOne's `UserPopulation`: the id of the user's population. */
export class UserPopulationResponse {
  @ApiProperty({ type: () => UserPopulationLinks }) _links!: UserPopulationLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class UserSubresourceLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) user!: HalLink;
}

export class UserMfaEnabledResponse {
  @ApiProperty({ type: () => UserSubresourceLinks }) _links!: UserSubresourceLinks;
  @ApiProperty() mfaEnabled!: boolean;
}

/** A linked account: the service links none yet, so no item is ever returned (the shape is PingOne's). */
export class LinkedAccountResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class EmbeddedLinkedAccounts {
  @ApiProperty({ type: () => [LinkedAccountResponse], maxItems: 0 }) linkedAccounts!: LinkedAccountResponse[];
}

export class LinkedAccountListResponse {
  @ApiProperty({ type: () => UserSubresourceLinks }) _links!: UserSubresourceLinks;
  @ApiProperty({ type: () => EmbeddedLinkedAccounts }) _embedded!: EmbeddedLinkedAccounts;
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) size!: number;
}
