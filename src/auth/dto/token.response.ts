import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OAuthErrorCode } from '../oauth-error.js';

const OAUTH_ERROR_CODES: OAuthErrorCode[] = [
  'invalid_request',
  'invalid_client',
  'unsupported_grant_type',
  'invalid_scope',
  'temporarily_unavailable',
];

/** The form of a token request (RFC 6749 §4.4); the client authenticates here or with HTTP Basic. */
export class TokenRequest {
  @ApiProperty({ enum: ['client_credentials'] }) grant_type!: 'client_credentials';
  @ApiPropertyOptional({ format: 'uuid', description: 'With `client_secret_post`; otherwise in the Basic header.' }) client_id?: string;
  @ApiPropertyOptional({ description: 'With `client_secret_post`; otherwise in the Basic header.' }) client_secret?: string;
}

export class TokenResponse {
  @ApiProperty({ description: 'An ES256-signed JWT for the `Authorization: Bearer` header of management calls.' }) access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires.' }) expires_in!: number;
}

/** OAuth 2.0's error body (RFC 6749 §5.2): the token endpoint speaks OAuth, not PingOne's error format. */
export class OAuthErrorResponse {
  @ApiProperty({ enum: OAUTH_ERROR_CODES }) error!: OAuthErrorCode;
  @ApiProperty({ description: 'What went wrong, with the correlation id.' }) error_description!: string;
}

/** One public key (RFC 7517). */
export class Jwk {
  @ApiProperty({ description: 'Key type, `EC` for the keys this service signs with.' }) kty!: string;
  @ApiProperty() kid!: string;
  @ApiProperty({ description: 'The signing algorithm, `ES256`.' }) alg!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
  @ApiPropertyOptional({ description: 'The curve of an EC key, `P-256`.' }) crv?: string;
  @ApiPropertyOptional() x?: string;
  @ApiPropertyOptional() y?: string;
}

export class JwksResponse {
  @ApiProperty({
    type: () => [Jwk],
    description: 'The keys that verify tokens: the signing key, and retired keys while their tokens live.',
  })
  keys!: Jwk[];
}
