import { Body, Controller, Get, Header, Headers, HttpCode, Ip, Param, Post, UseFilters } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { OAuthError, OAuthErrorFilter } from './oauth-error.js';
import { Public } from '../common/authorization/public.decorator.js';
import { SigningKeysService } from './signing-keys.service.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { type Jwk, JwksResponse, OAuthErrorResponse, TokenRequest, TokenResponse } from './dto/token.response.js';
import { TokenService } from './token.service.js';

const UNAVAILABLE = 'The database cannot be reached. Retry after `Retry-After` seconds.';

/** The authorization server's endpoints, under `/{envID}/as` as in PingOne. */
@ApiTags('Tokens')
@Controller(':envId/as')
@Public()
export class TokenController {
  constructor(
    private readonly tokens: TokenService,
    private readonly keys: SigningKeysService,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Consumes(MediaTypes.FORM)
  @UseFilters(OAuthErrorFilter)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @ApiOperation({ summary: 'An access token for a worker application (client_credentials)' })
  @ApiBody({ type: TokenRequest })
  @ApiOkResponse({ type: TokenResponse })
  @ApiResponse({ status: 400, type: OAuthErrorResponse, description: '`unsupported_grant_type` or `invalid_request`.' })
  @ApiResponse({
    status: 401,
    type: OAuthErrorResponse,
    description: '`invalid_client`: unknown client, wrong secret, or another environment.',
  })
  @ApiResponse({
    status: 429,
    type: OAuthErrorResponse,
    description:
      '`temporarily_unavailable`: too many failed authentications for this client or from this address (docs/rate-limits.md); retry after `Retry-After` seconds.',
  })
  @ApiPingOneError(503, UNAVAILABLE)
  async token(
    @Param('envId') envId: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Ip() address: string,
  ): Promise<TokenResponse> {
    const form = new URLSearchParams(typeof body === 'object' && body !== null ? (body as Record<string, string>) : {});
    if (form.get('grant_type') !== 'client_credentials') {
      throw new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    }
    const { clientId, clientSecret } = clientCredentials(authorization, form);
    // An envId that is not a UUID is left as sent (common/params/path-ids.ts) and authenticates no client.
    return this.tokens.issueForClient(envId, clientId, clientSecret, address);
  }

  @Get('jwks')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'The public keys that verify access tokens (JWKS)' })
  @ApiOkResponse({ type: JwksResponse })
  @ApiPingOneError(503, UNAVAILABLE)
  async jwks(): Promise<JwksResponse> {
    // jose types every member of a JWK optional; the published keys always carry kid, alg and use.
    return { keys: (await this.keys.publicJwks()) as Jwk[] };
  }
}

/** Client authentication by HTTP Basic (client_secret_basic) or in the form (client_secret_post). */
function clientCredentials(authorization: string | undefined, form: URLSearchParams): { clientId: string; clientSecret: string } {
  const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i)?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const clientId = colon > 0 ? formDecoded(decoded.slice(0, colon)) : undefined;
    const clientSecret = colon > 0 ? formDecoded(decoded.slice(colon + 1)) : undefined;
    if (clientId !== undefined && clientSecret !== undefined) return { clientId, clientSecret };
    throw new OAuthError('invalid_client', 'Malformed Basic credentials.', 401);
  }
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  if (clientId && clientSecret) return { clientId, clientSecret };
  throw new OAuthError('invalid_client', 'Client credentials are required (HTTP Basic or client_id and client_secret).', 401);
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded first; a malformed escape or a NUL decodes to nothing. */
function formDecoded(text: string): string | undefined {
  try {
    const value = decodeURIComponent(text);
    return value.includes('\u0000') ? undefined : value;
  } catch {
    return undefined;
  }
}
