import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { EnvironmentListResponse, EnvironmentResponse } from './dto/environment.response.js';
import type { Environment } from './environments.repository.js';

/** PingOne's representation of environments, with absolute links under the public base URL. */
@Injectable()
export class EnvironmentPresenter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  environment(e: Environment): EnvironmentResponse {
    const self = `${this.config.publicBaseUrl}/v1/environments/${e.id}`;
    return {
      _links: {
        self: { href: self },
        populations: { href: `${self}/populations` },
        users: { href: `${self}/users` },
        applications: { href: `${self}/applications` },
        passwordPolicies: { href: `${self}/passwordPolicies` },
        activities: { href: `${self}/activities` },
      },
      id: e.id,
      name: e.name,
      ...(e.description !== null ? { description: e.description } : {}),
      type: e.type,
      region: e.region,
      license: { id: e.licenseId },
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
  }

  list(environments: Environment[], query: { filter?: string; limit?: number; cursor?: string }): EnvironmentListResponse {
    const params = new URLSearchParams();
    if (query.filter) params.set('filter', query.filter);
    if (query.limit) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    const search = params.toString();
    const collection = `${this.config.publicBaseUrl}/v1/environments`;
    return {
      _links: { self: { href: search ? `${collection}?${search}` : collection } },
      _embedded: { environments: environments.map((e) => this.environment(e)) },
      count: environments.length,
      size: environments.length,
    };
  }
}
