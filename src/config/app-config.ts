import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { readTrustedIssuers, type TrustedIssuer, trustedIssuersSchema } from './trusted-issuers.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const logFormats = ['auto', 'json', 'pretty'] as const;

/** A rate limit's budget: at most `attempts` failed attempts per key in a window of `windowSeconds`. */
export interface RateBudget {
  attempts: number;
  windowSeconds: number;
}

/** `<attempts>/<seconds>` (e.g. `20/60`), or `0`/`off` for no limit. */
const rateBudget = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx): RateBudget | null => {
      if (value === '0' || value === 'off') return null;
      const match = /^(\d{1,7})\/(\d{1,6})$/.exec(value);
      const [attempts, windowSeconds] = [Number(match?.[1]), Number(match?.[2])];
      if (!match || attempts < 1 || windowSeconds < 1 || windowSeconds > 86_400) {
        ctx.addIssue({ code: 'custom', message: 'must be <attempts>/<seconds> (1 to 86400 seconds), 0 or off' });
        return z.NEVER;
      }
      return { attempts, windowSeconds };
    });

/** Every setting of the service, read from the environment once, at start. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default('./.data'),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  TOKEN_AUDIENCE: z.string().min(1).optional(),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  TOKEN_CACHE_MAX_AGE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(1000).max(600_000).default(8000),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  LOG_FORMAT: z.enum(logFormats).default('auto'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. `openssl rand -hex 32`)').optional(),
  BOOTSTRAP_ON_EMPTY: z.stringbool().default(true),
  LOCK_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  LOCK_SWEEP_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  ENCRYPTION_KEYS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== ''),
    )
    .refine((keys) => keys.every((k) => /^[A-Za-z0-9_-]{43}$/.test(k)), 'each key must be 32 bytes in base64url (43 characters)')
    .optional(),
  CLIENT_SECRET_GRACE_SECONDS: z.coerce.number().int().min(0).max(2_592_000).default(86_400),
  PERMISSION_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5000),
  TRUSTED_ISSUERS: z.string().optional(),
  TRUSTED_ISSUERS_FILE: z.string().min(1).optional(),
  JWKS_CACHE_MAX_AGE_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  EVENT_RELAY: z.stringbool().default(true),
  EVENT_RELAY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  EVENT_RELAY_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  WEBHOOK_ALLOW_INSECURE_TARGETS: z.stringbool().default(false),
  WEBHOOK_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  WEBHOOK_RESPONSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(300_000),
  WEBHOOK_SECRET_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(2_592_000).default(86_400),
  ACTIVITY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RATE_LIMITS: z.stringbool().default(true),
  RATE_LIMIT_TOKEN_CLIENT: rateBudget('20/60'),
  RATE_LIMIT_TOKEN_ADDRESS: rateBudget('100/60'),
  RATE_LIMIT_PASSWORD_USER: rateBudget('10/60'),
  RATE_LIMIT_PASSWORD_ADDRESS: rateBudget('600/60'),
  RATE_LIMIT_OTP_USER: rateBudget('10/60'),
  RATE_LIMIT_OTP_ADDRESS: rateBudget('600/60'),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx): TrustProxy => {
      if (value === 'false') return false;
      const entries = value.split(',').map((entry) => entry.trim());
      const proxy = (entry: string) =>
        ['loopback', 'linklocal', 'uniquelocal'].includes(entry) ||
        (isAddress(entry.split('/')[0] ?? '') && (!entry.includes('/') || ipaddr.isValidCIDR(entry)));
      if (entries.every(proxy)) return entries;
      ctx.addIssue({
        code: 'custom',
        message: 'must be false, or comma-separated addresses/CIDRs of proxies (or loopback, linklocal, uniquelocal)',
      });
      return z.NEVER;
    }),
  NATS_URL: z.string().min(1).optional(),
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('IDENTITY_EVENTS'),
});

/** Whose `X-Forwarded-For` to believe: nobody's, or the proxies at these addresses/CIDRs. */
export type TrustProxy = false | string[];

/** Failed attempts allowed per key and window (docs/rate-limits.md); null: that limit is off. */
export interface RateLimits {
  tokenPerClient: RateBudget | null;
  tokenPerAddress: RateBudget | null;
  passwordPerUser: RateBudget | null;
  passwordPerAddress: RateBudget | null;
  otpPerUser: RateBudget | null;
  otpPerAddress: RateBudget | null;
}

export const NO_RATE_LIMITS: RateLimits = {
  tokenPerClient: null,
  tokenPerAddress: null,
  passwordPerUser: null,
  passwordPerAddress: null,
  otpPerUser: null,
  otpPerAddress: null,
};

export interface AppConfig {
  port: number;
  host: string;
  /** Postgres connection string; absent means the embedded database in `dataDir`. */
  databaseUrl?: string;
  databasePoolSize: number;
  dataDir: string;
  /** Base of every absolute href, e.g. `http://localhost:3000` (no trailing slash). */
  publicBaseUrl: string;
  tokenAudience: string;
  tokenTtlSeconds: number;
  /** How long a verified access token is trusted without checking its signature again (0: never). */
  tokenCacheMaxAgeMs: number;
  bodyLimitBytes: number;
  /**
   * The longest a client may take to send one whole request, headers and body: past it the
   * connection is answered 408 and closed, so a half-sent request cannot hold a connection (or a
   * shutdown) forever.
   */
  requestTimeoutMs: number;
  /**
   * On SIGTERM/SIGINT, the longest the process takes to exit (docs/shutdown.md): requests in flight
   * get most of it to finish, then the background jobs stop and the database closes.
   */
  shutdownDrainMs: number;
  logLevel: (typeof logLevels)[number];
  /** `auto`: readable lines when the log goes to a terminal, JSON lines otherwise. */
  logFormat: (typeof logFormats)[number];
  /** The bearer token `GET /metrics` requires; absent, `/metrics` answers 404 (metrics are not served). */
  metricsToken?: string;
  bootstrapOnEmpty: boolean;
  /** Pause between sweeps that persist expired timed locks; 0 turns the sweeper off. */
  lockSweepIntervalMs: number;
  /** Most users one sweep unlocks, in one transaction. */
  lockSweepBatchSize: number;
  /**
   * Keys (32 bytes, base64url) that encrypt secrets at rest: the first encrypts, all decrypt, so a
   * key can be rotated. Empty means a key file in `dataDir`, allowed only on the embedded database.
   */
  encryptionKeys: string[];
  /** How long a rotated application secret keeps working unless the rotation names an expiry. */
  clientSecretGraceSeconds: number;
  /** How long a caller's resolved role assignments are reused; 0 resolves them on every request. */
  permissionCacheTtlMs: number;
  /** Identity providers whose tokens are accepted, each for one environment. */
  trustedIssuers: TrustedIssuer[];
  /** Remote JWKS: how long a fetched set is trusted, and the least time between two fetches. */
  jwksCacheMaxAgeMs: number;
  jwksCooldownMs: number;
  jwksTimeoutMs: number;
  /** Event delivery (docs/events.md): whether this instance runs the relay at all. */
  eventRelay: boolean;
  /** How often the relay looks for new events when nothing woke it sooner. */
  eventRelayPollMs: number;
  /** How long a consumer's lease lasts unless renewed: how soon another instance takes over. */
  eventRelayLeaseMs: number;
  /** Lifts the webhook target rules (https only, public addresses only): for local development and tests. */
  webhookAllowInsecureTargets: boolean;
  webhookConnectTimeoutMs: number;
  webhookResponseTimeoutMs: number;
  /** The first retry's delay; each failure doubles it (with jitter) up to the maximum. */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** How long a rotated subscription signing secret still signs, beside the new one. */
  webhookSecretOverlapSeconds: number;
  /** Events older than this are pruned. */
  activityRetentionDays: number;
  /** Brute-force limits of the token endpoint, password checks and OTP checks. */
  rateLimits: RateLimits;
  /** Whose `X-Forwarded-For` gives the source address (`request.ip`); false: the peer's address. */
  trustProxy: TrustProxy;
  /** NATS server(s) to publish every event to (JetStream); absent: nothing about NATS runs. */
  natsUrl?: string;
  natsStream: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class InvalidConfiguration extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment, failing with every problem at once rather than the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(blanksRemoved);
  if (!parsed.success) {
    throw new InvalidConfiguration(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const c = parsed.data;
  const trustedIssuers = parseTrustedIssuers(c.TRUSTED_ISSUERS, c.TRUSTED_ISSUERS_FILE);
  const publicBaseUrl = (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    dataDir: c.DATA_DIR,
    publicBaseUrl,
    tokenAudience: c.TOKEN_AUDIENCE ?? publicBaseUrl,
    tokenTtlSeconds: c.TOKEN_TTL_SECONDS,
    tokenCacheMaxAgeMs: c.TOKEN_CACHE_MAX_AGE_MS,
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    shutdownDrainMs: c.SHUTDOWN_DRAIN_MS,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    metricsToken: c.METRICS_TOKEN,
    bootstrapOnEmpty: c.BOOTSTRAP_ON_EMPTY,
    lockSweepIntervalMs: c.LOCK_SWEEP_INTERVAL_MS,
    lockSweepBatchSize: c.LOCK_SWEEP_BATCH_SIZE,
    encryptionKeys: c.ENCRYPTION_KEYS ?? [],
    clientSecretGraceSeconds: c.CLIENT_SECRET_GRACE_SECONDS,
    permissionCacheTtlMs: c.PERMISSION_CACHE_TTL_MS,
    trustedIssuers,
    jwksCacheMaxAgeMs: c.JWKS_CACHE_MAX_AGE_MS,
    jwksCooldownMs: c.JWKS_COOLDOWN_MS,
    jwksTimeoutMs: c.JWKS_TIMEOUT_MS,
    eventRelay: c.EVENT_RELAY,
    eventRelayPollMs: c.EVENT_RELAY_POLL_MS,
    eventRelayLeaseMs: c.EVENT_RELAY_LEASE_MS,
    webhookAllowInsecureTargets: c.WEBHOOK_ALLOW_INSECURE_TARGETS,
    webhookConnectTimeoutMs: c.WEBHOOK_CONNECT_TIMEOUT_MS,
    webhookResponseTimeoutMs: c.WEBHOOK_RESPONSE_TIMEOUT_MS,
    webhookRetryBaseMs: c.WEBHOOK_RETRY_BASE_MS,
    webhookRetryMaxMs: c.WEBHOOK_RETRY_MAX_MS,
    webhookSecretOverlapSeconds: c.WEBHOOK_SECRET_OVERLAP_SECONDS,
    activityRetentionDays: c.ACTIVITY_RETENTION_DAYS,
    rateLimits: c.RATE_LIMITS
      ? {
          tokenPerClient: c.RATE_LIMIT_TOKEN_CLIENT,
          tokenPerAddress: c.RATE_LIMIT_TOKEN_ADDRESS,
          passwordPerUser: c.RATE_LIMIT_PASSWORD_USER,
          passwordPerAddress: c.RATE_LIMIT_PASSWORD_ADDRESS,
          otpPerUser: c.RATE_LIMIT_OTP_USER,
          otpPerAddress: c.RATE_LIMIT_OTP_ADDRESS,
        }
      : NO_RATE_LIMITS,
    trustProxy: c.TRUST_PROXY,
    natsUrl: c.NATS_URL,
    natsStream: c.NATS_STREAM,
  };
}

function parseTrustedIssuers(json: string | undefined, file: string | undefined): TrustedIssuer[] {
  let raw: unknown;
  try {
    raw = readTrustedIssuers(json, file);
  } catch (error) {
    throw new InvalidConfiguration([`${file ? 'TRUSTED_ISSUERS_FILE' : 'TRUSTED_ISSUERS'}: ${(error as Error).message}`]);
  }
  const parsed = trustedIssuersSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidConfiguration(parsed.error.issues.map((issue) => `TRUSTED_ISSUERS.${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}

/** A plain IPv4 (four decimal parts) or IPv6 address: ipaddr.js would also take `1` or `0x7f.1`. */
function isAddress(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);
}
