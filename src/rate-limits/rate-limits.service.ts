import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { RequestLimited } from '../common/errors/domain-error.js';
import { Metrics } from '../common/metrics/metrics.js';
import { APP_CONFIG, type AppConfig, type RateBudget, type RateLimits as Budgets } from '../config/app-config.js';
import { DATABASE, type Database } from '../database/database.js';
import { addressKey } from './source-address.js';

/** What is limited: each kind has a budget per subject (a client, a user) and per source address. */
export type AttemptKind = 'token' | 'password' | 'otp';

const BUDGETS: Record<AttemptKind, { subject: keyof Budgets; address: keyof Budgets; subjectName: string }> = {
  token: { subject: 'tokenPerClient', address: 'tokenPerAddress', subjectName: 'client' },
  password: { subject: 'passwordPerUser', address: 'passwordPerAddress', subjectName: 'user' },
  otp: { subject: 'otpPerUser', address: 'otpPerAddress', subjectName: 'user' },
};

/** The table of the shared store, created by our migration (prisma/schema.prisma, `RateLimit`). */
const TABLE = 'RateLimit';
/** Rows whose window ended this long ago are deleted, every CLEANUP_EVERY_MS (as the library would). */
const CLEANUP_AFTER_MS = 3_600_000;
const CLEANUP_EVERY_MS = 300_000;

interface Limiter {
  /** e.g. `password per user`: names the limit in the 429's detail and in logs. */
  name: string;
  /** e.g. `password_user`: the `scope` label of `identity_rate_limit_refusals_total`. */
  scope: string;
  budget: RateBudget;
  store: RateLimiterAbstract;
}

/** One attempt that took a unit from each budget; a success gives them back. */
export class Attempt {
  constructor(
    private readonly taken: ReadonlyArray<{ limiter: Limiter; key: string }>,
    private readonly logger: Logger,
  ) {}

  /** The attempt succeeded: it was no guess, so it does not count against anyone. */
  async succeeded(): Promise<void> {
    await Promise.all(
      this.taken.map(({ limiter, key }) =>
        limiter.store.reward(key, 1).catch((error: unknown) => {
          // Not giving a unit back only brings the limit nearer; failing the request for it would not help.
          this.logger.warn(`${limiter.name}: could not give back an attempt: ${(error as Error).message}`);
        }),
      ),
    );
  }
}

const NOTHING_TAKEN = new Attempt([], new Logger('RateLimits'));

/**
 * Brute-force limits (docs/rate-limits.md), with rate-limiter-flexible. Each attempt takes one unit
 * from its subject's budget and from its source address's before anything is checked (one atomic
 * statement per budget, so concurrent attempts on any number of instances never overshoot), and
 * gives them back if it succeeds: the budgets count failures. A spent budget answers 429 without
 * checking anything, so a limited caller learns nothing about the credential either.
 *
 * On Postgres the counters live in the `RateLimit` table, shared by every instance; once an
 * instance has seen a budget spent, it refuses that key from memory until the window ends, so an
 * attack past its budget costs the database nothing. On the embedded database (one process) they
 * live in memory.
 */
@Injectable()
export class RateLimits implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimits.name);
  private readonly limiters: Map<keyof Budgets, Limiter>;
  /** Deletes long-expired counters; ours rather than the library's timer, so that a shutdown stops it. */
  private readonly cleanup?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DATABASE) database: Database,
    private readonly metrics: Metrics,
  ) {
    this.limiters = new Map();
    for (const [kind, { subject, address, subjectName }] of Object.entries(BUDGETS)) {
      for (const [budgetName, label, scope] of [
        [subject, `${kind} per ${subjectName}`, `${kind}_${subjectName}`],
        [address, `${kind} per source address`, `${kind}_address`],
      ] as const) {
        const budget = config.rateLimits[budgetName];
        if (budget) this.limiters.set(budgetName, { name: label, scope, budget, store: store(budgetName, budget, database) });
      }
    }
    const pool = database.pool;
    if (pool && this.limiters.size > 0) {
      // The statement the library's own cleanup sends; a failed one is left to the next tick.
      const clear = () =>
        void pool.query(`DELETE FROM "${TABLE}" WHERE expire < $1`, [Date.now() - CLEANUP_AFTER_MS]).catch(() => undefined);
      this.cleanup = setInterval(clear, CLEANUP_EVERY_MS);
      this.cleanup.unref();
    }
  }

  /** Stops the cleanup before the pool closes. */
  onModuleDestroy(): void {
    clearInterval(this.cleanup);
  }

  /**
   * Takes one attempt of `kind` from the budget of `subject` (omitted when the request names none
   * that could be guessed) and of the source `address`. Throws RequestLimited, with the time until
   * the spent budget's window ends, when either is spent.
   */
  async attempt(kind: AttemptKind, subject: string | undefined, address: string | undefined): Promise<Attempt> {
    const { subject: subjectBudget, address: addressBudget } = BUDGETS[kind];
    const wanted = [
      { limiter: this.limiters.get(addressBudget), key: address === undefined ? undefined : addressKey(address) },
      { limiter: this.limiters.get(subjectBudget), key: subject },
    ].filter((w): w is { limiter: Limiter; key: string } => w.limiter !== undefined && w.key !== undefined);
    if (wanted.length === 0) return NOTHING_TAKEN;
    const taken: Array<{ limiter: Limiter; key: string }> = [];
    for (const { limiter, key } of wanted) {
      try {
        await limiter.store.consume(key, 1);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        this.metrics.rateLimitRefused(limiter.scope);
        throw new RequestLimited(limiter.name, limiter.budget.attempts, rejection.msBeforeNext);
      }
      taken.push({ limiter, key });
    }
    return new Attempt(taken, this.logger);
  }
}

function store(keyPrefix: string, { attempts, windowSeconds }: RateBudget, database: Database): RateLimiterAbstract {
  const options = { keyPrefix, points: attempts, duration: windowSeconds };
  if (!database.pool) return new RateLimiterMemory(options);
  return new RateLimiterPostgres({
    ...options,
    storeClient: database.pool,
    storeType: 'pool',
    tableName: TABLE,
    tableCreated: true,
    clearExpiredByTimeout: false,
    // Past the budget, refuse from memory until the window ends: no database round trip per refused attempt.
    inMemoryBlockOnConsumed: attempts + 1,
  });
}
