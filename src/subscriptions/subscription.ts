/** A subscription as the service reasons about it: secrets stay encrypted, headers are decrypted on demand. */
export interface Subscription {
  id: string;
  environmentId: string;
  name: string;
  enabled: boolean;
  format: 'ACTIVITY';
  includedActionTypes: string[];
  includedPopulationIds: string[];
  includedApplicationIds: string[];
  ipAddressExposed: boolean;
  userAgentExposed: boolean;
  url: string;
  headersCiphertext: string | null;
  verifyTlsCertificates: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What a create or a replace writes. */
export type SubscriptionFields = Omit<Subscription, 'id' | 'environmentId' | 'createdAt' | 'updatedAt'>;

/** At most this many subscriptions per environment, as in PingOne. */
export const MAX_SUBSCRIPTIONS = 50;
