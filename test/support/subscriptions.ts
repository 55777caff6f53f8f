import { randomBytes, randomUUID } from 'node:crypto';
import { subscriptionHeadersPurpose, subscriptionSigningSecretPurpose } from '../../src/crypto/purposes.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { RelayRepository } from '../../src/events/relay/relay.repository.js';
import type { TestApp } from './test-app.js';

export interface SubscriptionRow {
  id: string;
  /** The Standard Webhooks secret (`whsec_...`) that signs its deliveries. */
  secret: string;
}

/**
 * A subscription written straight to the database, as the subscriptions API stores one (with its
 * cursor after every event placed so far): for suites about delivery itself.
 */
export async function insertSubscription(
  t: TestApp,
  fields: {
    environmentId: string;
    url: string;
    actionTypes: string[];
    populationIds?: string[];
    applicationIds?: string[];
    headers?: Record<string, string>;
    enabled?: boolean;
  },
): Promise<SubscriptionRow> {
  const id = randomUUID();
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const box = t.app.get(SecretBox);
  const transactions = t.app.get(TransactionHost);
  await transactions.run(async () => {
    await transactions.tx.subscription.create({
      data: {
        id,
        environmentId: fields.environmentId,
        name: `subscription ${id}`,
        enabled: fields.enabled ?? true,
        includedActionTypes: fields.actionTypes,
        includedPopulationIds: fields.populationIds ?? [],
        includedApplicationIds: fields.applicationIds ?? [],
        url: fields.url,
        headersCiphertext: fields.headers ? await box.encrypt(JSON.stringify(fields.headers), subscriptionHeadersPurpose(id)) : null,
        verifyTlsCertificates: true,
        signingSecretCiphertext: await box.encrypt(secret, subscriptionSigningSecretPurpose(id)),
      },
    });
    await t.app.get(RelayRepository).createCursor(id, id);
  });
  return { id, secret };
}
