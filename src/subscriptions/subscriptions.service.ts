import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApplicationsService } from '../applications/index.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { subscriptionHeadersPurpose, subscriptionSigningSecretPurpose } from '../crypto/purposes.js';
import { SecretBox } from '../crypto/secret-box.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PopulationsService } from '../environments/index.js';
import type { EventType } from '../events/index.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import { subscriptionFilter } from '../events/relay/consumers.js';
import { RelayRepository } from '../events/relay/relay.repository.js';
import { resolveWebhookTarget, UnsafeWebhookTarget, webhookUrl } from '../events/relay/webhook-target.js';
import type { SubscriptionBodyDto } from './dto/subscription.dto.js';
import { MAX_SUBSCRIPTIONS, type Subscription, type SubscriptionFields } from './subscription.js';
import {
  InvalidWebhookTarget,
  PreviousExpiryOutOfRange,
  SubscriptionLimitReached,
  SubscriptionNotFound,
  UnknownReference,
} from './subscriptions.errors.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

/** The delivery state a subscription's admin can see (ours: GET .../deliveryStatus). */
export interface DeliveryStatus {
  /** Matching events not delivered yet, counted up to `backlogCap`. */
  backlog: number;
  backlogCap: number;
  oldestUndeliveredAt: Date | null;
  lastDeliveredAt: Date | null;
  attempts: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  nextAttemptAt: Date | null;
}

const BACKLOG_CAP = 10_000;
const MAX_OVERLAP_DAYS = 30;

/**
 * PingOne's webhook subscriptions: their configuration, its checks (the target URL, the
 * references, at most 50 per environment), the signing secret (shown once, rotatable with an
 * overlap) and the delivery status. Delivery itself is the relay's (src/events/relay).
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly relay: RelayRepository,
    private readonly populations: PopulationsService,
    private readonly applications: ApplicationsService,
    private readonly box: SecretBox,
    private readonly events: OutboxWriter,
    private readonly transactions: TransactionHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates the subscription and its cursor (it receives the events committed from now on); returns the signing secret, once. */
  async create(
    environmentId: string,
    body: SubscriptionBodyDto,
    context: RequestContext,
  ): Promise<{ subscription: Subscription; signingSecret: string }> {
    const id = randomUUID();
    const fields = await this.fields(environmentId, id, body);
    const signingSecret = newSigningSecret();
    const secretCiphertext = await this.box.encrypt(signingSecret, subscriptionSigningSecretPurpose(id));
    const subscription = await this.transactions.run(async () => {
      await this.subscriptions.lockEnvironment(environmentId);
      if ((await this.subscriptions.count(environmentId)) >= MAX_SUBSCRIPTIONS) throw new SubscriptionLimitReached();
      const created = await this.subscriptions.create(environmentId, id, fields, secretCiphertext);
      await this.relay.createCursor(id, id);
      await this.record('SUBSCRIPTION.CREATED', created, context, `Created subscription ${created.name}`);
      return created;
    });
    return { subscription, signingSecret };
  }

  list(environmentId: string): Promise<Subscription[]> {
    return this.subscriptions.list(environmentId);
  }

  async get(environmentId: string, id: string): Promise<Subscription> {
    return (await this.subscriptions.find(environmentId, id)) ?? notFound();
  }

  /** PUT: every attribute takes the body's value; the signing secret and the delivery position stay. */
  async replace(environmentId: string, id: string, body: SubscriptionBodyDto, context: RequestContext): Promise<Subscription> {
    const fields = await this.fields(environmentId, id, body);
    return this.transactions.run(async () => {
      const updated = (await this.subscriptions.replace(environmentId, id, fields)) ?? notFound();
      await this.record('SUBSCRIPTION.UPDATED', updated, context, `Updated subscription ${updated.name}`);
      return updated;
    });
  }

  delete(environmentId: string, id: string, context: RequestContext): Promise<void> {
    return this.transactions.run(async () => {
      const deleted = (await this.subscriptions.delete(environmentId, id)) ?? notFound();
      await this.record('SUBSCRIPTION.DELETED', deleted, context, `Deleted subscription ${deleted.name}`);
    });
  }

  /**
   * A new signing secret, returned once. The previous one keeps signing beside it (two signatures
   * in `webhook-signature`) until `previousExpiresAt`, by default WEBHOOK_SECRET_OVERLAP_SECONDS.
   */
  async rotateSigningSecret(
    environmentId: string,
    id: string,
    previousExpiresAt: string | undefined,
    context: RequestContext,
  ): Promise<{ signingSecret: string; previousExpiresAt: Date | null }> {
    const now = Date.now();
    const until = previousExpiresAt ? new Date(previousExpiresAt) : this.defaultOverlapEnd(now);
    if (until && (until.getTime() <= now || until.getTime() > now + MAX_OVERLAP_DAYS * 86_400_000))
      throw new PreviousExpiryOutOfRange(MAX_OVERLAP_DAYS);
    const signingSecret = newSigningSecret();
    const ciphertext = await this.box.encrypt(signingSecret, subscriptionSigningSecretPurpose(id));
    await this.transactions.run(async () => {
      if (!(await this.subscriptions.rotateSigningSecret(environmentId, id, ciphertext, until))) notFound();
      const subscription = (await this.subscriptions.find(environmentId, id)) ?? notFound();
      const overlap = until ? `; the previous one signs too until ${until.toISOString()}` : '';
      await this.record(
        'SUBSCRIPTION.UPDATED',
        subscription,
        context,
        `Rotated the signing secret of subscription ${subscription.name}${overlap}`,
      );
    });
    return { signingSecret, previousExpiresAt: until };
  }

  async headers(subscription: Subscription): Promise<Record<string, string>> {
    if (!subscription.headersCiphertext) return {};
    return JSON.parse(await this.box.decrypt(subscription.headersCiphertext, subscriptionHeadersPurpose(subscription.id))) as Record<
      string,
      string
    >;
  }

  async deliveryStatus(environmentId: string, id: string): Promise<DeliveryStatus> {
    const subscription = await this.get(environmentId, id);
    const cursor = (await this.relay.cursor(id)) ?? notFound();
    const backlog = await this.relay.backlog(cursor.position, subscriptionFilter(subscription), BACKLOG_CAP);
    return {
      backlog: backlog.count,
      backlogCap: BACKLOG_CAP,
      oldestUndeliveredAt: backlog.oldest,
      lastDeliveredAt: cursor.lastDeliveredAt,
      attempts: cursor.attempts,
      lastError: cursor.lastError,
      lastErrorAt: cursor.lastErrorAt,
      nextAttemptAt: cursor.nextAttemptAt,
    };
  }

  private defaultOverlapEnd(now: number): Date | null {
    const seconds = this.config.webhookSecretOverlapSeconds;
    return seconds > 0 ? new Date(now + seconds * 1000) : null;
  }

  /** The body checked against the environment and the target rules, headers encrypted. */
  private async fields(environmentId: string, id: string, body: SubscriptionBodyDto): Promise<SubscriptionFields> {
    await this.checkTarget(body.httpEndpoint.url);
    const populationIds = [...new Set((body.filterOptions.includedPopulations ?? []).map((p) => p.id))];
    for (const populationId of populationIds) {
      if (!(await this.populations.exists(environmentId, populationId)))
        throw new UnknownReference('filterOptions.includedPopulations', populationId);
    }
    const applicationIds = [...new Set((body.filterOptions.includedApplications ?? []).map((a) => a.id))];
    for (const applicationId of applicationIds) {
      await this.applications.get(environmentId, applicationId).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'NOT_FOUND')
          throw new UnknownReference('filterOptions.includedApplications', applicationId);
        throw error;
      });
    }
    const headers = body.httpEndpoint.headers ?? {};
    return {
      name: body.name,
      enabled: body.enabled,
      format: 'ACTIVITY',
      includedActionTypes: [...new Set(body.filterOptions.includedActionTypes)],
      includedPopulationIds: populationIds,
      includedApplicationIds: applicationIds,
      ipAddressExposed: body.filterOptions.ipAddressExposed ?? false,
      userAgentExposed: body.filterOptions.userAgentExposed ?? false,
      url: body.httpEndpoint.url,
      headersCiphertext:
        Object.keys(headers).length > 0 ? await this.box.encrypt(JSON.stringify(headers), subscriptionHeadersPurpose(id)) : null,
      verifyTlsCertificates: body.verifyTlsCertificates ?? true,
    };
  }

  /** Checked when saved and again before every delivery (the relay), against DNS rebinding. */
  private async checkTarget(url: string): Promise<void> {
    const insecure = this.config.webhookAllowInsecureTargets;
    try {
      await resolveWebhookTarget(webhookUrl(url, insecure), insecure);
    } catch (error) {
      if (error instanceof UnsafeWebhookTarget) throw new InvalidWebhookTarget(error.message);
      throw error;
    }
  }

  private async record(
    type: Extract<EventType, `SUBSCRIPTION.${string}`>,
    subscription: Subscription,
    context: RequestContext,
    description: string,
  ): Promise<void> {
    await this.events.record({
      type,
      context,
      description,
      resource: {
        type: 'SUBSCRIPTION',
        id: subscription.id,
        name: subscription.name,
        environmentId: subscription.environmentId,
        path: `subscriptions/${subscription.id}`,
      },
    });
  }
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function notFound(): never {
  throw new SubscriptionNotFound();
}
