import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { PasswordPolicyListResponse, PasswordPolicyResponse } from './dto/password-policy.response.js';
import type { PasswordPolicy } from './password-policy.js';

/** PingOne's representation of a password policy. */
@Injectable()
export class PasswordPolicyPresenter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  policy(p: PasswordPolicy): PasswordPolicyResponse {
    // Only stored policies are resources; the built-in Standard policy (no id) is never presented.
    if (p.id === null) throw new Error('The built-in Standard policy has no resource of its own');
    const environment = `${this.config.publicBaseUrl}/v1/environments/${p.environmentId}`;
    return {
      _links: { self: { href: `${environment}/passwordPolicies/${p.id}` }, environment: { href: environment } },
      id: p.id,
      environment: { id: p.environmentId },
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      default: p.isDefault,
      lockout: p.lockout,
      length: p.length,
      ...(p.minCharacters ? { minCharacters: p.minCharacters } : {}),
      ...(p.history
        ? { history: { count: p.history.count, ...(p.history.retentionDays ? { retentionDays: p.history.retentionDays } : {}) } }
        : {}),
      ...(p.maxRepeatedCharacters !== null ? { maxRepeatedCharacters: p.maxRepeatedCharacters } : {}),
      excludesCommonlyUsed: p.excludesCommonlyUsed,
      excludesProfileData: p.excludesProfileData,
      ...(p.maxAgeDays !== null ? { maxAgeDays: p.maxAgeDays } : {}),
      createdAt: p.createdAt?.toISOString(),
      updatedAt: p.updatedAt?.toISOString(),
    };
  }

  list(environmentId: string, policies: PasswordPolicy[]): PasswordPolicyListResponse {
    const href = `${this.config.publicBaseUrl}/v1/environments/${environmentId}/passwordPolicies`;
    return {
      _links: { self: { href } },
      _embedded: { passwordPolicies: policies.map((p) => this.policy(p)) },
      count: policies.length,
      size: policies.length,
    };
  }
}
