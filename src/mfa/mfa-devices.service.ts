import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import { UserNotFound } from '../users/index.js';
import type { CreatedTotpDevice, MfaDevice } from './device.js';
import { DeviceNotFound } from './mfa.errors.js';
import { MfaDevicesRepository } from './mfa-devices.repository.js';
import { newTotpSecret, totpKeyUri } from './totp.js';

/** Users' TOTP devices: pairing, listing, removal. The secret is handed out once, at creation. */
@Injectable()
export class MfaDevicesService {
  constructor(
    private readonly devices: MfaDevicesRepository,
    private readonly transactions: TransactionHost,
  ) {}

  createTotp(environmentId: string, userId: string): Promise<CreatedTotpDevice> {
    return this.transactions.run(async () => {
      const holder = (await this.devices.findHolder(environmentId, userId)) ?? userNotFound();
      const secret = newTotpSecret();
      const device = (await this.devices.createTotp(holder, randomUUID(), secret)) ?? userNotFound();
      return { device, secret, keyUri: totpKeyUri(secret, holder.environmentName, holder.username) };
    });
  }

  /** A user without devices lists as empty; a user that does not exist is 404. */
  async list(environmentId: string, userId: string): Promise<MfaDevice[]> {
    const devices = await this.devices.listForUser(environmentId, userId);
    if (devices.length === 0 && !(await this.devices.findHolder(environmentId, userId))) userNotFound();
    return devices;
  }

  async get(environmentId: string, userId: string, deviceId: string): Promise<MfaDevice> {
    return (await this.devices.findForUser(environmentId, userId, deviceId)) ?? deviceNotFound();
  }

  async delete(environmentId: string, userId: string, deviceId: string): Promise<void> {
    if (!(await this.devices.deleteForUser(environmentId, userId, deviceId))) deviceNotFound();
  }
}

function userNotFound(): never {
  throw new UserNotFound();
}

function deviceNotFound(): never {
  throw new DeviceNotFound();
}
