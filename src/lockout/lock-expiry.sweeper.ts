import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AccountService } from '../users/index.js';

/**
 * Runs the lock expiry (AccountService.sweep) every `lockSweepIntervalMs` while the application is up. One loop per
 * instance, each sweep awaited before the next pause, so sweeps of one instance never overlap;
 * instances need no coordination because the claim skips rows another sweeper holds.
 */
@Injectable()
export class LockExpirySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LockExpirySweeper');
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly expiry: AccountService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.lockSweepIntervalMs > 0) this.loop = this.run(this.config.lockSweepIntervalMs);
  }

  /** Runs before the database closes (PrismaService closes it in onApplicationShutdown): a sweep in flight commits first. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** One sweep of at most a batch, outside the loop; returns how many users it unlocked. */
  async sweepOnce(now: Date = new Date()): Promise<number> {
    return (await this.expiry.sweep(now)).unlocked;
  }

  private async run(intervalMs: number): Promise<void> {
    let delay = intervalMs;
    while (await this.pause(delay)) {
      // A full batch means more locks are waiting: take the next batch now rather than an interval later.
      delay = (await this.sweepAndLog()) ? 0 : intervalMs;
    }
  }

  /** False once the application is stopping. The timer does not keep the process alive by itself. */
  private async pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.stopping.signal, ref: false });
      return true;
    } catch {
      return false;
    }
  }

  /** True when the batch was full. A failure is logged and left to the next tick, never thrown. */
  private async sweepAndLog(): Promise<boolean> {
    try {
      const { unlocked, correlationId } = await this.expiry.sweep(new Date());
      if (unlocked > 0) this.logger.log(`unlocked ${unlocked} expired account locks (correlationId ${correlationId})`);
      return unlocked >= this.config.lockSweepBatchSize;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(
        `lock sweep failed, retrying in ${this.config.lockSweepIntervalMs} ms: ${message}`,
        error instanceof Error ? error.stack : undefined,
      );
      return false;
    }
  }
}
