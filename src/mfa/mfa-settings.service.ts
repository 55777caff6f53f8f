import { Injectable } from '@nestjs/common';
import { DEFAULT_MFA_LOCKOUT, type MfaLockout, type MfaSettings } from './mfa-settings.js';
import { MfaSettingsRepository } from './mfa-settings.repository.js';

/** An environment's MFA settings; an environment that never saved them runs on the defaults. */
@Injectable()
export class MfaSettingsService {
  constructor(private readonly settings: MfaSettingsRepository) {}

  async get(environmentId: string): Promise<MfaSettings> {
    const saved = await this.settings.findForEnvironment(environmentId);
    return saved ?? { environmentId, lockout: { ...DEFAULT_MFA_LOCKOUT }, updatedAt: null };
  }

  /** Replaces the lockout settings. Counters already counted stay; the new limit applies from the next failure. */
  replaceLockout(environmentId: string, lockout: MfaLockout): Promise<MfaSettings> {
    return this.settings.saveLockout(environmentId, lockout);
  }
}
