import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { encodeCursor } from '../common/pagination/cursor.js';
import type { LinkedAccountListResponse, UserMfaEnabledResponse, UserPopulationResponse } from './dto/user-subresources.response.js';
import { UserEnabledResponse, UserListResponse, UserResponse } from './dto/user.response.js';
import { toUserResource, userHref } from './user.mapper.js';
import type { User } from './user.js';
import type { UserPage } from './users.repository.js';

// Re-exported so that the import controller (passwords/) names the user type through the one file of users/ it already imports.
export { UserEnabledResponse, UserListResponse, UserResponse };

/** Builds the HAL bodies of the users API with absolute links under the public base URL. */
@Injectable()
export class UserPresenter {
  private readonly baseUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.baseUrl = config.publicBaseUrl;
  }

  user(user: User): UserResponse {
    return toUserResource(user, this.baseUrl, new Date());
  }

  page(environmentId: string, page: UserPage, query: { filter?: string; limit?: number; cursor?: string }): UserListResponse {
    const now = new Date();
    const collection = `${this.baseUrl}/v1/environments/${environmentId}/users`;
    const href = (cursor?: string) => {
      const params = new URLSearchParams();
      if (query.filter) params.set('filter', query.filter);
      if (query.limit) params.set('limit', String(query.limit));
      if (cursor) params.set('cursor', cursor);
      const search = params.toString();
      return search ? `${collection}?${search}` : collection;
    };
    const last = page.users.at(-1);
    return {
      _links: {
        self: { href: href(query.cursor) },
        ...(page.hasMore && last ? { next: { href: href(encodeCursor(last.id)) } } : {}),
      },
      _embedded: { users: page.users.map((u) => toUserResource(u, this.baseUrl, now)) },
      count: page.total,
      size: page.users.length,
    };
  }

  enabled(user: User): UserEnabledResponse {
    const self = userHref(this.baseUrl, user.environmentId, user.id);
    return { _links: { self: { href: `${self}/enabled` }, user: { href: self } }, enabled: user.enabled };
  }

  population(user: User): UserPopulationResponse {
    const self = userHref(this.baseUrl, user.environmentId, user.id);
    const population = `${this.baseUrl}/v1/environments/${user.environmentId}/populations/${user.populationId}`;
    return {
      _links: { self: { href: `${self}/population` }, user: { href: self }, population: { href: population } },
      id: user.populationId,
    };
  }

  mfaEnabled(user: User): UserMfaEnabledResponse {
    const self = userHref(this.baseUrl, user.environmentId, user.id);
    return { _links: { self: { href: `${self}/mfaEnabled` }, user: { href: self } }, mfaEnabled: user.mfaEnabled };
  }

  /** The service links no external accounts yet: the collection is always empty, in PingOne's shape. */
  linkedAccounts(user: User): LinkedAccountListResponse {
    const self = userHref(this.baseUrl, user.environmentId, user.id);
    return {
      _links: { self: { href: `${self}/linkedAccounts` }, user: { href: self } },
      _embedded: { linkedAccounts: [] },
      count: 0,
      size: 0,
    };
  }
}
