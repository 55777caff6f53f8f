import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { Subscription as SubscriptionRow } from '../generated/prisma/client.js';
import type { Subscription, SubscriptionFields } from './subscription.js';

const FIELDS = {
  id: true,
  environmentId: true,
  name: true,
  enabled: true,
  format: true,
  includedActionTypes: true,
  includedPopulationIds: true,
  includedApplicationIds: true,
  ipAddressExposed: true,
  userAgentExposed: true,
  url: true,
  headersCiphertext: true,
  verifyTlsCertificates: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Subscriptions' configuration. Their delivery state is the relay's (DeliveryCursor). */
@Injectable()
export class SubscriptionsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /**
   * Holds the environment's row until the transaction ends: creations in one environment queue,
   * so the count they check (at most 50) cannot be passed by a burst of concurrent ones.
   */
  async lockEnvironment(environmentId: string): Promise<boolean> {
    const rows = await this.txHost.tx.$queryRaw<unknown[]>`SELECT 1 FROM "Environment" WHERE "id" = ${environmentId}::uuid FOR UPDATE`;
    return rows.length === 1;
  }

  async count(environmentId: string): Promise<number> {
    return this.txHost.tx.subscription.count({ where: { environmentId } });
  }

  async create(environmentId: string, id: string, fields: SubscriptionFields, signingSecretCiphertext: string): Promise<Subscription> {
    return toSubscription(
      await this.txHost.tx.subscription.create({ data: { id, environmentId, ...fields, signingSecretCiphertext }, select: FIELDS }),
    );
  }

  async list(environmentId: string): Promise<Subscription[]> {
    const rows = await this.txHost.tx.subscription.findMany({
      where: { environmentId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: FIELDS,
    });
    return rows.map(toSubscription);
  }

  async find(environmentId: string, id: string): Promise<Subscription | null> {
    const row = await this.txHost.tx.subscription.findFirst({ where: { id, environmentId }, select: FIELDS });
    return row ? toSubscription(row) : null;
  }

  async replace(environmentId: string, id: string, fields: SubscriptionFields): Promise<Subscription | null> {
    const [row] = await this.txHost.tx.subscription.updateManyAndReturn({ where: { id, environmentId }, data: fields, select: FIELDS });
    return row ? toSubscription(row) : null;
  }

  async delete(environmentId: string, id: string): Promise<Subscription | null> {
    const [row] = await this.txHost.tx.subscription.findMany({ where: { id, environmentId }, select: FIELDS, take: 1 });
    if (!row) return null;
    const { count } = await this.txHost.tx.subscription.deleteMany({ where: { id, environmentId } });
    return count === 1 ? toSubscription(row) : null;
  }

  /**
   * Makes `ciphertext` the signing secret and the current one the previous, which signs beside it
   * until `previousExpiresAt` (null: not at all), in one UPDATE: concurrent rotations each keep the
   * secret they replaced as the previous one, and none is lost in between.
   */
  async rotateSigningSecret(environmentId: string, id: string, ciphertext: string, previousExpiresAt: Date | null): Promise<boolean> {
    const count = await this.txHost.tx.$executeRaw`
      UPDATE "Subscription" SET
        "previousSigningSecretCiphertext" = CASE WHEN ${previousExpiresAt}::timestamptz IS NULL THEN NULL ELSE "signingSecretCiphertext" END,
        "previousSigningSecretExpiresAt" = ${previousExpiresAt}::timestamptz,
        "signingSecretCiphertext" = ${ciphertext},
        "updatedAt" = now()
      WHERE "id" = ${id}::uuid AND "environmentId" = ${environmentId}::uuid`;
    return count === 1;
  }
}

function toSubscription(row: Pick<SubscriptionRow, keyof typeof FIELDS>): Subscription {
  return { ...row, format: 'ACTIVITY' };
}
