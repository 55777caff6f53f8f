import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { MfaLockout, MfaSettings } from './mfa-settings.js';

/** The `MfaSettings` row of an environment (at most one). */
@Injectable()
export class MfaSettingsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** Null while the environment never saved its settings. */
  async findForEnvironment(environmentId: string): Promise<MfaSettings | null> {
    const row = await this.txHost.tx.mfaSettings.findUnique({ where: { environmentId } });
    return row ? toSettings(row) : null;
  }

  /** One `INSERT ... ON CONFLICT DO UPDATE`: concurrent first saves cannot collide. */
  async saveLockout(environmentId: string, lockout: MfaLockout): Promise<MfaSettings> {
    const columns = { lockoutFailureCount: lockout.failureCount, lockoutDurationSeconds: lockout.durationSeconds };
    const row = await this.txHost.tx.mfaSettings.upsert({
      where: { environmentId },
      create: { environmentId, ...columns },
      update: columns,
    });
    return toSettings(row);
  }
}

function toSettings(row: {
  environmentId: string;
  lockoutFailureCount: number;
  lockoutDurationSeconds: number;
  updatedAt: Date;
}): MfaSettings {
  return {
    environmentId: row.environmentId,
    lockout: { failureCount: row.lockoutFailureCount, durationSeconds: row.lockoutDurationSeconds },
    updatedAt: row.updatedAt,
  };
}
