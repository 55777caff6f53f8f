import type { AppConfig } from '../../src/config/app-config.js';

/** Short timings, so that retries and take-overs happen within a test. */
export const FAST_RELAY: Partial<AppConfig> = {
  eventRelay: true,
  eventRelayPollMs: 50,
  eventRelayLeaseMs: 2000,
  webhookAllowInsecureTargets: true,
  webhookConnectTimeoutMs: 500,
  webhookResponseTimeoutMs: 400,
  webhookRetryBaseMs: 50,
  webhookRetryMaxMs: 300,
};
