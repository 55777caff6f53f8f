import { describe, expect, it } from '@jest/globals';
import { InvalidConfiguration, loadConfig } from '../../src/config/app-config.js';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      databasePoolSize: 10,
      dataDir: './.data',
      publicBaseUrl: 'http://localhost:3000',
      tokenAudience: 'http://localhost:3000',
      tokenTtlSeconds: 3600,
      bodyLimitBytes: 65536,
      requestTimeoutMs: 10_000,
      shutdownDrainMs: 8000,
      logLevel: 'info',
      logFormat: 'auto',
      metricsToken: undefined,
      bootstrapOnEmpty: true,
      lockSweepIntervalMs: 5000,
      lockSweepBatchSize: 100,
      encryptionKeys: [],
      clientSecretGraceSeconds: 86_400,
      permissionCacheTtlMs: 5000,
      trustedIssuers: [],
      jwksCacheMaxAgeMs: 600_000,
      jwksCooldownMs: 30_000,
      jwksTimeoutMs: 5000,
      tokenCacheMaxAgeMs: 60_000,
      eventRelay: true,
      eventRelayPollMs: 250,
      eventRelayLeaseMs: 10_000,
      webhookAllowInsecureTargets: false,
      webhookConnectTimeoutMs: 5000,
      webhookResponseTimeoutMs: 10_000,
      webhookRetryBaseMs: 1000,
      webhookRetryMaxMs: 300_000,
      webhookSecretOverlapSeconds: 86_400,
      activityRetentionDays: 90,
      rateLimits: {
        tokenPerClient: { attempts: 20, windowSeconds: 60 },
        tokenPerAddress: { attempts: 100, windowSeconds: 60 },
        passwordPerUser: { attempts: 10, windowSeconds: 60 },
        passwordPerAddress: { attempts: 600, windowSeconds: 60 },
        otpPerUser: { attempts: 10, windowSeconds: 60 },
        otpPerAddress: { attempts: 600, windowSeconds: 60 },
      },
      trustProxy: false,
      natsUrl: undefined,
      natsStream: 'IDENTITY_EVENTS',
    });
  });

  it('derives the public base URL from the port and trims a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://id.example.com/' }).publicBaseUrl).toBe('https://id.example.com');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', BOOTSTRAP_ON_EMPTY: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfiguration);
    const problems = (error as InvalidConfiguration).problems.map((p) => p.split(':')[0]);
    expect(problems.sort()).toEqual(['BOOTSTRAP_ON_EMPTY', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
  });
});

describe('loadConfig: request timeout and shutdown drain', () => {
  it('reads both in milliseconds', () => {
    const config = loadConfig({ REQUEST_TIMEOUT_MS: '2500', SHUTDOWN_DRAIN_MS: '4000' });
    expect([config.requestTimeoutMs, config.shutdownDrainMs]).toEqual([2500, 4000]);
  });

  it('refuses values that would turn them off or hold a shutdown for ever', () => {
    for (const [name, value] of [
      ['REQUEST_TIMEOUT_MS', '0'],
      ['REQUEST_TIMEOUT_MS', '999'],
      ['REQUEST_TIMEOUT_MS', 'soon'],
      ['SHUTDOWN_DRAIN_MS', '0'],
      ['SHUTDOWN_DRAIN_MS', '600001'],
    ]) {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  - ${name}:`));
    }
  });
});

describe('loadConfig: rate limits and the source address', () => {
  it('reads each budget as <attempts>/<seconds>, 0 or off turning one limit off', () => {
    const { rateLimits } = loadConfig({ RATE_LIMIT_TOKEN_CLIENT: '5/30', RATE_LIMIT_OTP_ADDRESS: '0', RATE_LIMIT_OTP_USER: 'off' });
    expect(rateLimits.tokenPerClient).toEqual({ attempts: 5, windowSeconds: 30 });
    expect(rateLimits.otpPerAddress).toBeNull();
    expect(rateLimits.otpPerUser).toBeNull();
  });

  it('turns every limit off with RATE_LIMITS=false', () => {
    expect(Object.values(loadConfig({ RATE_LIMITS: 'false' }).rateLimits)).toEqual([null, null, null, null, null, null]);
  });

  it('refuses a malformed budget, naming the variable', () => {
    expect(() => loadConfig({ RATE_LIMIT_PASSWORD_USER: '10 per minute' })).toThrow(/RATE_LIMIT_PASSWORD_USER/);
    expect(() => loadConfig({ RATE_LIMIT_PASSWORD_USER: '10/0' })).toThrow(/RATE_LIMIT_PASSWORD_USER/);
  });

  it('trusts no proxy by default; the proxies at the listed addresses otherwise', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1, loopback' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.1', 'loopback']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY/);
  });
});

describe('loadConfig: TRUSTED_ISSUERS', () => {
  const issuer = {
    issuer: 'https://idp.example.com',
    jwksUri: 'https://idp.example.com/jwks',
    audience: 'identity-user-service',
    environmentId: '0f8a7c52-3b1e-4d6a-9c2f-5e7b8a9d0c11',
    roles: { claim: 'groups', map: { ops: [{ role: 'Environment Admin' }] } },
  };

  it('reads the JSON list with its defaults', () => {
    expect(loadConfig({ TRUSTED_ISSUERS: JSON.stringify([issuer]) }).trustedIssuers).toEqual([
      { ...issuer, algorithms: ['RS256', 'ES256'], nameClaim: 'sub' },
    ]);
  });

  it('refuses to start on an unknown role, naming where it is', () => {
    const bad = { ...issuer, roles: { claim: 'groups', map: { ops: [{ role: 'Root' }] } } };
    expect(() => loadConfig({ TRUSTED_ISSUERS: JSON.stringify([bad]) })).toThrow(
      /TRUSTED_ISSUERS\.0\.roles\.map\.ops\.0\.role: unknown role "Root"/,
    );
  });
});
