import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type {
  DeliveryStatusResponse,
  SigningSecretResponse,
  SubscriptionListResponse,
  SubscriptionResponse,
} from './dto/subscription.response.js';
import type { Subscription } from './subscription.js';
import type { DeliveryStatus } from './subscriptions.service.js';

/** PingOne's HAL bodies of subscriptions, and the service's own delivery status and secret rotation. */
@Injectable()
export class SubscriptionPresenter {
  private readonly baseUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.baseUrl = config.publicBaseUrl;
  }

  subscription(s: Subscription, headers: Record<string, string>, signingSecret?: string): SubscriptionResponse {
    const environment = `${this.baseUrl}/v1/environments/${s.environmentId}`;
    const self = `${environment}/subscriptions/${s.id}`;
    return {
      _links: {
        self: { href: self },
        environment: { href: environment },
        deliveryStatus: { href: `${self}/deliveryStatus` },
        signingSecret: { href: `${self}/signingSecret` },
      },
      id: s.id,
      environment: { id: s.environmentId },
      name: s.name,
      enabled: s.enabled,
      format: s.format,
      filterOptions: {
        includedActionTypes: s.includedActionTypes,
        includedPopulations: s.includedPopulationIds.map((id) => ({ id })),
        includedApplications: s.includedApplicationIds.map((id) => ({ id })),
        ipAddressExposed: s.ipAddressExposed,
        userAgentExposed: s.userAgentExposed,
      },
      httpEndpoint: { url: s.url, headers },
      verifyTlsCertificates: s.verifyTlsCertificates,
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
      ...(signingSecret ? { signingSecret } : {}),
    };
  }

  list(environmentId: string, items: SubscriptionResponse[]): SubscriptionListResponse {
    return {
      _links: { self: { href: `${this.baseUrl}/v1/environments/${environmentId}/subscriptions` } },
      _embedded: { subscriptions: items },
      count: items.length,
      size: items.length,
    };
  }

  deliveryStatus(s: Subscription, status: DeliveryStatus): DeliveryStatusResponse {
    const self = `${this.baseUrl}/v1/environments/${s.environmentId}/subscriptions/${s.id}`;
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      _links: { self: { href: `${self}/deliveryStatus` }, subscription: { href: self } },
      enabled: s.enabled,
      backlog: { count: status.backlog, atLeast: status.backlog >= status.backlogCap },
      oldestUndeliveredAt: iso(status.oldestUndeliveredAt),
      lastDeliveredAt: iso(status.lastDeliveredAt),
      failedAttempts: status.attempts,
      lastError: status.lastError,
      lastErrorAt: iso(status.lastErrorAt),
      nextAttemptAt: iso(status.nextAttemptAt),
    };
  }

  signingSecret(s: Pick<Subscription, 'id' | 'environmentId'>, secret: string, previousExpiresAt: Date | null): SigningSecretResponse {
    const self = `${this.baseUrl}/v1/environments/${s.environmentId}/subscriptions/${s.id}`;
    return {
      _links: { self: { href: `${self}/signingSecret` }, subscription: { href: self } },
      signingSecret: secret,
      previous: previousExpiresAt ? { expiresAt: previousExpiresAt.toISOString() } : null,
    };
  }
}
