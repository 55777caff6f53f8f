import type { SecretBox } from '../../crypto/secret-box.js';
import { subscriptionHeadersPurpose, subscriptionSigningSecretPurpose } from '../../crypto/purposes.js';
import type { NatsPublisher } from './nats-publisher.js';
import type { EventFilter, PlacedEvent, SubscriptionTarget } from './relay.repository.js';
import { sendWebhook, type WebhookLimits } from './webhook-sender.js';

/** The NATS stream's cursor. Subscriptions' cursors are named by the subscription's id. */
export const NATS_CONSUMER = 'nats';

/** Where one consumer's events go, as it is configured right now. */
export interface Destination {
  filter: EventFilter;
  deliver(event: PlacedEvent): Promise<void>;
}

/**
 * A subscription's destination: PingOne's webhook body (a JSON array of activities, here one per
 * request so that each request is one event with its own `webhook-id`), the subscription's own
 * headers, and the Standard Webhooks signature with the current secret (and the previous one
 * during a rotation's overlap). Null when the subscription is disabled or gone.
 */
export async function subscriptionDestination(
  target: SubscriptionTarget | null,
  box: SecretBox,
  limits: WebhookLimits,
  now: Date,
): Promise<Destination | null> {
  if (!target?.enabled) return null;
  const headers = target.headersCiphertext
    ? (JSON.parse(await box.decrypt(target.headersCiphertext, subscriptionHeadersPurpose(target.id))) as Record<string, string>)
    : {};
  const purpose = subscriptionSigningSecretPurpose(target.id);
  const secrets = [await box.decrypt(target.signingSecretCiphertext, purpose)];
  if (target.previousSigningSecretCiphertext && target.previousSigningSecretExpiresAt && target.previousSigningSecretExpiresAt > now) {
    secrets.push(await box.decrypt(target.previousSigningSecretCiphertext, purpose));
  }
  return {
    filter: subscriptionFilter(target),
    deliver: async (event) => {
      await sendWebhook(
        {
          url: target.url,
          headers,
          verifyTlsCertificates: target.verifyTlsCertificates,
          signingSecrets: secrets,
          eventId: event.id,
          body: JSON.stringify([event.payload]),
        },
        limits,
      );
    },
  };
}

/** The events a subscription takes: its environment's, of its action types, about its populations, caused by its applications. */
export function subscriptionFilter(
  s: Pick<SubscriptionTarget, 'environmentId' | 'includedActionTypes' | 'includedPopulationIds' | 'includedApplicationIds'>,
): EventFilter {
  return {
    environmentId: s.environmentId,
    actionTypes: s.includedActionTypes,
    populationIds: s.includedPopulationIds,
    applicationIds: s.includedApplicationIds,
  };
}

/** The NATS stream: every event of every environment, one message each. */
export function natsDestination(publisher: NatsPublisher): Destination {
  return { filter: {}, deliver: (event) => publisher.publish(event, JSON.stringify(event.payload)) };
}

/** When to try a failing event again: doubling from `baseMs` up to `maxMs`, with jitter so that receivers are not hit in step. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
