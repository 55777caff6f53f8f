import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import { DEFAULT_MFA_LOCKOUT, type MfaLockout, type MfaSettings } from './mfa-settings.js';
import { MfaSettingsRepository } from './mfa-settings.repository.js';

/** An environment's MFA settings; an environment that never saved them runs on the defaults. */
@Injectable()
export class MfaSettingsService {
  constructor(
    private readonly settings: MfaSettingsRepository,
    private readonly transactions: TransactionHost,
    private readonly events: OutboxWriter,
  ) {}

  async get(environmentId: string): Promise<MfaSettings> {
    const saved = await this.settings.findForEnvironment(environmentId);
    return saved ?? { environmentId, lockout: { ...DEFAULT_MFA_LOCKOUT }, updatedAt: null };
  }

  /**
   * Replaces the lockout settings, with MFA_SETTINGS.UPDATED. Counters already counted stay; the
   * new limit applies from the next failure.
   */
  replaceLockout(environmentId: string, lockout: MfaLockout, context: RequestContext): Promise<MfaSettings> {
    return this.transactions.run(async () => {
      const saved = await this.settings.saveLockout(environmentId, lockout);
      await this.events.record({
        type: 'MFA_SETTINGS.UPDATED',
        context,
        resource: { type: 'MFA_SETTINGS', id: environmentId, name: 'MFA settings', environmentId, path: 'mfaSettings' },
        description: `Updated MFA settings: lock after ${lockout.failureCount} failed checks, for ${lockout.durationSeconds} seconds`,
      });
      return saved;
    });
  }
}
