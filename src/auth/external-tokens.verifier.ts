import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors as joseErrors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Grant } from '../common/authorization/access.js';
import { roleByName } from '../common/authorization/roles.js';
import { InvalidToken, IssuerKeysUnavailable } from '../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { TrustedIssuer } from '../config/trusted-issuers.js';
import type { Principal } from '../common/authorization/principal.js';
import { parseId } from '../common/params/ids.js';

/** Clocks of an identity provider and of this service are never exactly in step. */
const CLOCK_TOLERANCE_SECONDS = 30;

interface Issuer {
  config: TrustedIssuer;
  getKey: JWTVerifyGetKey;
  /** Claim value → grants; a Map, so a value such as `constructor` finds nothing. */
  grantsByValue: ReadonlyMap<string, readonly Grant[]>;
}

/**
 * Verifies tokens of the identity providers in `TRUSTED_ISSUERS` against their published keys,
 * and turns each into a caller of the one environment its issuer is trusted for.
 */
@Injectable()
export class ExternalTokensVerifier {
  private readonly issuers: ReadonlyMap<string, Issuer>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.issuers = new Map(config.trustedIssuers.map((issuer) => [issuer.issuer, prepare(issuer, config)]));
  }

  trusts(iss: string): boolean {
    return this.issuers.has(iss);
  }

  async verify(token: string, iss: string): Promise<Principal> {
    const issuer = this.issuers.get(iss);
    if (!issuer) throw new InvalidToken('token of an untrusted issuer');
    const { config } = issuer;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, issuer.getKey, {
        issuer: config.issuer,
        audience: config.audience,
        // Never the header's word alone: `none`, HMAC and anything else unlisted fail here.
        algorithms: config.algorithms,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw new InvalidToken(`${iss}: ${error.code}`);
      throw error;
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidToken(`${iss}: sub is not a string`);
    return toPrincipal(issuer, payload, payload.sub);
  }
}

function prepare(config: TrustedIssuer, appConfig: AppConfig): Issuer {
  const grantsByValue = new Map<string, Grant[]>();
  for (const [value, grants] of Object.entries(config.roles?.map ?? {})) {
    grantsByValue.set(
      value,
      grants.map((g) => {
        const role = roleByName(g.role);
        // The configuration schema refuses unknown roles; this guards hand-built configurations.
        if (!role) throw new Error(`trusted issuer ${config.issuer}: unknown role ${g.role}`);
        return { roleId: role.id, scope: g.scope ?? { type: 'ENVIRONMENT', id: config.environmentId } };
      }),
    );
  }
  return { config, getKey: remoteKeys(config, appConfig), grantsByValue };
}

/**
 * The issuer's JWKS, fetched when first needed, kept for `jwksCacheMaxAgeMs`, and fetched again
 * for an unknown `kid` at most once per `jwksCooldownMs`: tokens with made-up key ids cannot make
 * the service hammer the issuer. A key set that cannot be fetched or read is reported as such,
 * never as a bad token.
 */
function remoteKeys(config: TrustedIssuer, appConfig: AppConfig): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(config.jwksUri), {
    cacheMaxAge: appConfig.jwksCacheMaxAgeMs,
    cooldownDuration: appConfig.jwksCooldownMs,
    timeoutDuration: appConfig.jwksTimeoutMs,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      // No key (or no single key) for the token's `kid` in a set that was read: the token's fault.
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) throw error;
      throw new IssuerKeysUnavailable(config.issuer, config.jwksUri, error);
    }
  };
}

function toPrincipal(issuer: Issuer, claims: JWTPayload, sub: string): Principal {
  const { config } = issuer;
  const name = claims[config.nameClaim];
  const named = (fallback: string) => (typeof name === 'string' && name !== '' ? name : fallback);
  if (config.applicationClaim !== undefined) {
    const id = parseId(claims[config.applicationClaim]);
    if (id === undefined) throw new InvalidToken(`${config.issuer}: ${config.applicationClaim} is not an application id`);
    return { clientId: id, clientName: named(id), environmentId: config.environmentId, grants: { from: 'application', applicationId: id } };
  }
  if (config.userClaim !== undefined) {
    const value = claims[config.userClaim.claim];
    if (typeof value !== 'string' || value === '')
      throw new InvalidToken(`${config.issuer}: ${config.userClaim.claim} does not name a user`);
    return {
      clientId: sub,
      clientName: named(value),
      environmentId: config.environmentId,
      grants: { from: 'user', attribute: config.userClaim.attribute, value },
    };
  }
  const values = claimValues(config.roles ? claims[config.roles.claim] : undefined);
  // A token whose values map to nothing still authenticates its caller; authorization refuses it.
  const grants = values.flatMap((value) => issuer.grantsByValue.get(value) ?? []);
  return { clientId: sub, clientName: named(sub), environmentId: config.environmentId, grants: { from: 'token', grants } };
}

/** Role or group claims come as arrays of strings, or as one space-separated string like `scope`. */
function claimValues(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/\s+/).filter((v) => v !== '');
  if (Array.isArray(claim)) return claim.filter((v): v is string => typeof v === 'string');
  return [];
}
