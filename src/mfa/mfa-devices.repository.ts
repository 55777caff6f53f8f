import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import { Prisma, type MfaDevice as DeviceRow } from '../generated/prisma/client.js';
import type { DeviceHolder, MfaDevice } from './device.js';

/** A device's secret as stored: encrypted, or (a device created before encryption at rest) in plaintext. */
export interface StoredDeviceSecret {
  ciphertext: string | null;
  plaintext: string | null;
}

/** Users' MFA devices. The secret is written once, encrypted, and read only by `findWithSecret`. */
@Injectable()
export class MfaDevicesRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** The user in the environment a new device would belong to, with the environment's name. */
  async findHolder(environmentId: string, userId: string): Promise<DeviceHolder | null> {
    const row = await this.txHost.tx.user.findFirst({
      where: { id: userId, environmentId },
      select: { id: true, username: true, environmentId: true, populationId: true, environment: { select: { name: true } } },
    });
    if (!row) return null;
    const { environment, ...subject } = row;
    return { ...subject, environmentName: environment.name };
  }

  /** Null when the user was deleted meanwhile (the foreign key refuses the device). */
  async createTotp(holder: DeviceHolder, id: string, secretCiphertext: string): Promise<MfaDevice | null> {
    try {
      const row = await this.txHost.tx.mfaDevice.create({
        data: { id, environmentId: holder.environmentId, userId: holder.id, type: 'TOTP', secretCiphertext },
      });
      return toDevice(row);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') return null;
      throw error;
    }
  }

  async listForUser(environmentId: string, userId: string): Promise<MfaDevice[]> {
    const rows = await this.txHost.tx.mfaDevice.findMany({
      where: { environmentId, userId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toDevice);
  }

  async findForUser(environmentId: string, userId: string, id: string): Promise<MfaDevice | null> {
    const row = await this.txHost.tx.mfaDevice.findFirst({ where: { id, environmentId, userId } });
    return row ? toDevice(row) : null;
  }

  /** The device and its stored secret, for checking a code: the only read of the secret. */
  async findWithSecret(
    environmentId: string,
    userId: string,
    id: string,
  ): Promise<{ device: MfaDevice; secret: StoredDeviceSecret; userEnabled: boolean } | null> {
    const row = await this.txHost.tx.mfaDevice.findFirst({
      where: { id, environmentId, userId },
      omit: { secret: false, secretCiphertext: false },
      include: { user: { select: { enabled: true } } },
    });
    if (!row) return null;
    const { user, ...device } = row;
    return { device: toDevice(device), secret: { ciphertext: row.secretCiphertext, plaintext: row.secret }, userEnabled: user.enabled };
  }

  /**
   * Records `step` as the device's last used time step, if it is later than the last one. One
   * conditional UPDATE: of two checks with the same code, exactly one claims its step.
   */
  async claimTimeStep(id: string, step: number): Promise<boolean> {
    const claimed = await this.txHost.tx.$executeRaw`
      UPDATE "MfaDevice" SET "lastUsedStep" = ${BigInt(step)}
      WHERE "id" = ${id}::uuid AND ("lastUsedStep" IS NULL OR "lastUsedStep" < ${BigInt(step)})`;
    return claimed === 1;
  }

  /** False when there was no such device of this user. */
  async deleteForUser(environmentId: string, userId: string, id: string): Promise<boolean> {
    const { count } = await this.txHost.tx.mfaDevice.deleteMany({ where: { id, environmentId, userId } });
    return count === 1;
  }
}

function toDevice(row: Omit<DeviceRow, 'secret' | 'secretCiphertext' | 'lastUsedStep'>): MfaDevice {
  return {
    id: row.id,
    environmentId: row.environmentId,
    userId: row.userId,
    type: row.type,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
