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
      logLevel: 'info',
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
