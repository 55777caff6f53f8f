import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { decodeJwt, errors as joseErrors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { InvalidToken, RequestLimited } from '../common/errors/domain-error.js';
import { RateLimits } from '../rate-limits/index.js';
import { ClientAuthenticator } from '../applications/index.js';
import { ExternalTokensVerifier } from './external-tokens.verifier.js';
import { OAuthError } from './oauth-error.js';
import type { Principal } from '../common/authorization/principal.js';
import { SIGNING_ALGORITHM, SigningKeysService } from './signing-keys.service.js';
import { isId, parseId } from '../common/params/ids.js';
import { AccessResolver } from '../access/index.js';
import { VerifiedTokens } from './verified-tokens.js';

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/**
 * Issues access tokens to worker applications and verifies them on every management call: once
 * per token, then from VerifiedTokens until it expires (or its application changes).
 */
@Injectable()
export class TokenService {
  private readonly verified: VerifiedTokens;

  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly keys: SigningKeysService,
    private readonly external: ExternalTokensVerifier,
    private readonly limits: RateLimits,
    access: AccessResolver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.verified = new VerifiedTokens(config.tokenCacheMaxAgeMs);
    access.onChange((applicationId) => this.verified.drop(applicationId));
    keys.onWithdrawn((kids) => this.verified.dropSignedBy(kids));
  }

  issuerFor(environmentId: string): string {
    return `${this.config.publicBaseUrl}/${environmentId}/as`;
  }

  /**
   * Failed authentications are limited per client and per source address (docs/rate-limits.md);
   * a spent budget answers 429 before the secret is compared, a success gives its attempt back.
   */
  async issueForClient(environmentId: string, clientId: string, clientSecret: string, address?: string): Promise<IssuedToken> {
    const attempt = await this.limits.attempt('token', clientKey(environmentId, clientId), address).catch((error: unknown) => {
      if (!(error instanceof RequestLimited)) throw error;
      const wait = error.retryAfterSeconds as number;
      throw new OAuthError('temporarily_unavailable', `Too many failed client authentications: retry after ${wait} seconds.`, 429, wait);
    });
    const app = await this.clients.authenticate(environmentId, clientId, clientSecret);
    if (!app) throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    await attempt.succeeded();
    const { kid, key } = await this.keys.signingKey();
    const accessToken = await new SignJWT({ client_id: app.id, client_name: app.name, env: environmentId })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: 'JWT' })
      .setIssuer(this.issuerFor(environmentId))
      .setAudience(this.config.tokenAudience)
      .setSubject(app.id)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.config.tokenTtlSeconds}s`)
      .sign(key);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.config.tokenTtlSeconds };
  }

  /**
   * Routes the token by its (not yet verified) issuer: this service's own issuer for the
   * environment the token names, or a trusted external issuer. Any other issuer is refused.
   */
  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) return known;
    const { iss, env, exp } = unverifiedClaims(token);
    if (isId(env) && iss === this.issuerFor(env)) {
      const { principal, kid } = await this.verifyOwn(token, env);
      // Verified: the claims read before verification are the token's own.
      this.verified.set(token, principal, { exp, kid });
      return principal;
    }
    if (typeof iss === 'string' && this.external.trusts(iss)) {
      const principal = await this.external.verify(token, iss);
      this.verified.set(token, principal, { exp });
      return principal;
    }
    throw new InvalidToken('token of an unknown issuer');
  }

  /** Verifies signature (ES256 only, so never `alg: none`), expiry, issuer and audience. */
  private async verifyOwn(token: string, environmentId: string): Promise<{ principal: Principal; kid: string | undefined }> {
    const options = {
      algorithms: [SIGNING_ALGORITHM],
      issuer: this.issuerFor(environmentId),
      audience: this.config.tokenAudience,
      requiredClaims: ['exp', 'iat', 'sub', 'client_id'],
    };
    try {
      let { getKey } = await this.keys.verificationKeys();
      const payload = await jwtVerify(token, getKey, options).catch(async (error: unknown) => {
        if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
        // Signed by a key another instance created after this one loaded the set.
        this.keys.refresh();
        ({ getKey } = await this.keys.verificationKeys());
        return jwtVerify(token, getKey, options);
      });
      const claims = payload.payload;
      const clientId = String(claims.client_id);
      const principal: Principal = {
        clientId,
        clientName: typeof claims.client_name === 'string' ? claims.client_name : clientId,
        environmentId,
        grants: { from: 'application', applicationId: clientId },
      };
      return { principal, kid: payload.protectedHeader.kid };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw new InvalidToken(error.code);
      throw error;
    }
  }
}

function unverifiedClaims(token: string): JWTPayload {
  try {
    return decodeJwt(token);
  } catch {
    throw new InvalidToken('token is not a JWT');
  }
}

/** A client that could be guessed at: ids that are UUIDs (anything else authenticates nobody, and only the address budget counts it). */
function clientKey(environmentId: string, clientId: string): string | undefined {
  const [env, client] = [parseId(environmentId), parseId(clientId)];
  return env && client ? `${env}/${client}` : undefined;
}
