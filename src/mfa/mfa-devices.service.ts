import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import { UserNotFound } from '../users/index.js';
import type { CreatedTotpDevice, MfaDevice } from './device.js';
import { DeviceNotFound } from './mfa.errors.js';
import { MfaDevicesRepository } from './mfa-devices.repository.js';
import { DeviceSecrets } from './device-secrets.js';
import { newTotpSecret, totpKeyUri } from './totp.js';

/** Users' TOTP devices: pairing, listing, removal. The secret is handed out once, at creation. */
@Injectable()
export class MfaDevicesService {
  constructor(
    private readonly devices: MfaDevicesRepository,
    private readonly transactions: TransactionHost,
    private readonly events: OutboxWriter,
    private readonly secrets: DeviceSecrets,
  ) {}

  /** DEVICE.CREATED is about the user (so population scopes and filters see it) and names the device, never its secret. */
  createTotp(environmentId: string, userId: string, context: RequestContext): Promise<CreatedTotpDevice> {
    return this.transactions.run(async () => {
      const holder = (await this.devices.findHolder(environmentId, userId)) ?? userNotFound();
      const [id, secret] = [randomUUID(), newTotpSecret()];
      const device = (await this.devices.createTotp(holder, id, await this.secrets.seal(id, secret))) ?? userNotFound();
      await this.events.record({ type: 'DEVICE.CREATED', subject: holder, context, description: `Created TOTP device ${device.id}` });
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

  /** Only the request that deleted the row records DEVICE.DELETED: a racing delete gets 404. */
  delete(environmentId: string, userId: string, deviceId: string, context: RequestContext): Promise<void> {
    return this.transactions.run(async () => {
      const holder = (await this.devices.findHolder(environmentId, userId)) ?? deviceNotFound();
      if (!(await this.devices.deleteForUser(environmentId, userId, deviceId))) deviceNotFound();
      await this.events.record({ type: 'DEVICE.DELETED', subject: holder, context, description: `Deleted TOTP device ${deviceId}` });
    });
  }
}

function userNotFound(): never {
  throw new UserNotFound();
}

function deviceNotFound(): never {
  throw new DeviceNotFound();
}
