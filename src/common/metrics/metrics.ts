import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, type GaugeConfiguration, Histogram, Registry } from 'prom-client';

/** Why an account was locked: by an administrator, or by the password or the MFA lockout (the latter two are lockouts). */
export type LockCause = 'admin' | 'password' | 'mfa';
/** Why a lock was lifted: the admin unlock, a password unlock or admin reset that cleared a password lockout, or expiry. */
export type UnlockCause = 'admin' | 'password' | 'expired';
/** How a password check ended: matched, wrong (counted), or refused uncounted (locked, disabled user, or no password set). */
export type PasswordCheckOutcome = 'success' | 'failure' | 'password_locked' | 'account_locked' | 'disabled' | 'no_password';

const LOCK_CAUSES: readonly LockCause[] = ['admin', 'password', 'mfa'];
const UNLOCK_CAUSES: readonly UnlockCause[] = ['admin', 'password', 'expired'];
const PASSWORD_CHECK_OUTCOMES: readonly PasswordCheckOutcome[] = [
  'success',
  'failure',
  'password_locked',
  'account_locked',
  'disabled',
  'no_password',
];

/** From a millisecond (an unlock takes about one) to ten seconds. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * CPU, memory, event loop and garbage collection belong to the process, however many applications
 * it runs (the tests run several): they are collected once, into a registry of their own.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** One labels object per value, built once: counting allocates no labels. */
function labelsFor<K extends string, V extends string>(key: K, values: readonly V[]): Map<V, Record<K, V>> {
  return new Map(values.map((value) => [value, { [key]: value } as Record<K, V>]));
}

/**
 * The service's Prometheus metrics (docs/operations.md lists them): the process's, the request
 * histogram, and the counts of what matters to an operator. Every count is taken where the fact it
 * counts is decided, after its transaction committed, so it matches the events recorded. Label
 * values come from closed sets, never from a request, so the number of series stays bounded.
 */
@Injectable()
export class Metrics {
  private readonly registry = new Registry();
  readonly contentType: string = this.registry.contentType;

  /** Labelled by method, route template (never the raw URL) and status: see request-metrics.ts. */
  readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending the last byte of its response, by method, route template and status.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });

  private readonly locks = new Counter({
    name: 'identity_account_locks_total',
    help: 'Accounts locked (USER.LOCKED events), by cause: admin, or the password or MFA lockout.',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });
  private readonly unlocks = new Counter({
    name: 'identity_account_unlocks_total',
    help: 'Account locks lifted (USER.UNLOCKED events), by cause: admin unlock, password unlock or reset, or expiry.',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });
  private readonly passwordChecks = new Counter({
    name: 'identity_password_checks_total',
    help: 'Password checks (password.check and the current password of a self reset), by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly rateLimitRefusals = new Counter({
    name: 'identity_rate_limit_refusals_total',
    help: 'Requests refused with 429 by a rate limit, by the limit that refused them.',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  private readonly lockLabels = labelsFor('cause', LOCK_CAUSES);
  private readonly unlockLabels = labelsFor('cause', UNLOCK_CAUSES);
  private readonly checkLabels = labelsFor('outcome', PASSWORD_CHECK_OUTCOMES);

  constructor() {
    // Every series exists from the start at 0, so that rate() and alerts see the first increment.
    for (const labels of this.lockLabels.values()) this.locks.inc(labels, 0);
    for (const labels of this.unlockLabels.values()) this.unlocks.inc(labels, 0);
    for (const labels of this.checkLabels.values()) this.passwordChecks.inc(labels, 0);
  }

  accountLocked(cause: LockCause): void {
    this.locks.inc(this.lockLabels.get(cause) as Record<'cause', LockCause>);
  }

  accountsUnlocked(cause: UnlockCause, count = 1): void {
    if (count > 0) this.unlocks.inc(this.unlockLabels.get(cause) as Record<'cause', UnlockCause>, count);
  }

  passwordChecked(outcome: PasswordCheckOutcome): void {
    this.passwordChecks.inc(this.checkLabels.get(outcome) as Record<'outcome', PasswordCheckOutcome>);
  }

  /**
   * A request refused by a rate limit. `scope` names the limit (for example `token_client` or
   * `password_check_address`): a fixed name per limit, never a value taken from the request.
   */
  rateLimitRefused(scope: string): void {
    this.rateLimitRefusals.inc({ scope });
  }

  /** A gauge of this application's registry; give it a `collect` to compute its value when scraped. */
  gauge<T extends string>(config: Omit<GaugeConfiguration<T>, 'registers'>): Gauge<T> {
    return new Gauge({ ...config, registers: [this.registry] });
  }

  /** The text exposition of the process's metrics and this application's, computed now. */
  async exposition(): Promise<string> {
    const [process, application] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${process}${application}`;
  }
}
