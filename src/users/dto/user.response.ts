import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';

/** PingOne's 13 relations of a user, each leading to a route that answers (docs/api.md). */
export class UserLinks {
  @ApiProperty({ type: () => HalLink }) self!: HalLink;
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
  @ApiProperty({ type: () => HalLink }) population!: HalLink;
  @ApiProperty({ type: () => HalLink }) devices!: HalLink;
  @ApiProperty({ type: () => HalLink }) roleAssignments!: HalLink;
  @ApiProperty({ type: () => HalLink }) password!: HalLink;
  @ApiProperty({ type: () => HalLink }) 'password.reset'!: HalLink;
  @ApiProperty({ type: () => HalLink }) 'password.set'!: HalLink;
  @ApiProperty({ type: () => HalLink }) 'password.check'!: HalLink;
  @ApiProperty({ type: () => HalLink }) 'password.recover'!: HalLink;
  @ApiProperty({ type: () => HalLink }) linkedAccounts!: HalLink;
  @ApiProperty({ type: () => HalLink }) 'account.sendVerificationCode'!: HalLink;
  @ApiProperty({ type: () => HalLink }) memberOfGroups!: HalLink;
}

/** The account's lock, as read at the time of the response. */
export class UserAccount {
  @ApiProperty({ description: 'False while the account is locked or the user is disabled.' })
  canAuthenticate!: boolean;

  @ApiProperty({ enum: ['OK', 'LOCKED'] })
  status!: 'OK' | 'LOCKED';

  @ApiPropertyOptional({ format: 'date-time' })
  lockedAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only for a lock that ends by itself.' })
  unlockAt?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Whole seconds until `unlockAt`, rounded up.' })
  secondsUntilUnlock?: number;
}

export class UserName {
  @ApiPropertyOptional() given?: string;
  @ApiPropertyOptional() family?: string;
  @ApiPropertyOptional() middle?: string;
  @ApiPropertyOptional() formatted?: string;
  @ApiPropertyOptional() honorificPrefix?: string;
  @ApiPropertyOptional() honorificSuffix?: string;
}

export class UserAddress {
  @ApiPropertyOptional() streetAddress?: string;
  @ApiPropertyOptional() locality?: string;
  @ApiPropertyOptional() region?: string;
  @ApiPropertyOptional() postalCode?: string;
  @ApiPropertyOptional() countryCode?: string;
}

export class UserPhoto {
  @ApiProperty() href!: string;
}

export class IdentityProvider {
  @ApiProperty({ description: '`PING_ONE` unless an import named an external identity provider.' }) type!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The external identity provider, when the import named one.' }) id?: string;
}

export class UserLifecycle {
  @ApiProperty({ enum: ['ACCOUNT_OK', 'VERIFICATION_REQUIRED'] }) status!: 'ACCOUNT_OK' | 'VERIFICATION_REQUIRED';
}

/** PingOne's user. Attributes without a value are left out, never null. */
export class UserResponse {
  @ApiProperty({ type: () => UserLinks }) _links!: UserLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty({ type: () => IdReference }) population!: IdReference;
  @ApiProperty({ type: () => UserAccount }) account!: UserAccount;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'With include=memberOfGroupIDs: the ids of every group of the user, direct and nested.',
  })
  memberOfGroupIDs?: string[];
  @ApiPropertyOptional({
    type: [String],
    description: 'With include=memberOfGroupNames: the names of every group of the user, direct and nested.',
  })
  memberOfGroupNames?: string[];
  @ApiProperty() username!: string;
  @ApiPropertyOptional() email?: string;
  @ApiProperty() emailVerified!: boolean;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() mfaEnabled!: boolean;
  @ApiProperty({ type: () => IdentityProvider }) identityProvider!: IdentityProvider;
  @ApiProperty({ type: () => UserLifecycle }) lifecycle!: UserLifecycle;
  @ApiProperty({ enum: ['NOT_INITIATED', 'ENABLED', 'DISABLED'] }) verifyStatus!: 'NOT_INITIATED' | 'ENABLED' | 'DISABLED';
  @ApiPropertyOptional({ type: () => UserName }) name?: UserName;
  @ApiPropertyOptional() nickname?: string;
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional() type?: string;
  @ApiPropertyOptional() locale?: string;
  @ApiPropertyOptional() preferredLanguage?: string;
  @ApiPropertyOptional() timezone?: string;
  @ApiPropertyOptional() mobilePhone?: string;
  @ApiPropertyOptional() primaryPhone?: string;
  @ApiPropertyOptional() externalId?: string;
  @ApiPropertyOptional({ type: () => UserPhoto }) photo?: UserPhoto;
  @ApiPropertyOptional({ type: () => UserAddress }) address?: UserAddress;
}

export class PageLinks extends SelfLinks {
  @ApiPropertyOptional({ type: () => HalLink, description: 'The next page; absent on the last one.' })
  next?: HalLink;
}

export class EmbeddedUsers {
  @ApiProperty({ type: () => [UserResponse] }) users!: UserResponse[];
}

/** One page of a user list. */
export class UserListResponse {
  @ApiProperty({ type: () => PageLinks }) _links!: PageLinks;
  @ApiProperty({ type: () => EmbeddedUsers }) _embedded!: EmbeddedUsers;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many users match the filter.' }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many users this page holds.' }) size!: number;
}

export class EnabledLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) user!: HalLink;
}

export class UserEnabledResponse {
  @ApiProperty({ type: () => EnabledLinks }) _links!: EnabledLinks;
  @ApiProperty() enabled!: boolean;
}
