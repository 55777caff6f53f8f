import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { encodeCursor } from '../common/pagination/cursor.js';
import type { LinkedAccountListResponse, UserMfaEnabledResponse, UserPopulationResponse } from './dto/user-subresources.response.js';
import { UserEnabledResponse, UserListResponse, UserResponse } from './dto/user.response.js';
import { toUserResource, userHref } from './user.mapper.js';
import type { UserInclude } from './dto/requests.dto.js';
import type { User } from './user.js';
import type { UserPage } from './users.repository.js';
import type { UserGroups } from './users.service.js';

// Re-exported so that the import controller (passwords/) names the user type through the one file of users/ it already imports.
export { UserEnabledResponse, UserListResponse, UserResponse };

/** Builds the HAL bodies of the users API with absolute links under the public base URL. */
@Injectable()
export class UserPresenter {
  private readonly baseUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.baseUrl = config.publicBaseUrl;
  }

  /** `groups`: read when the request included memberOfGroupIDs or memberOfGroupNames, which `includes` names. */
  user(user: User, groups?: UserGroups, includes?: ReadonlySet<UserInclude>): UserResponse {
    return withGroups(toUserResource(user, this.baseUrl, new Date()), groups?.get(user.id), includes);
  }

  page(
    environmentId: string,
    page: UserPage,
    query: { filter?: string; limit?: number; cursor?: string; include?: string },
    groups?: UserGroups,
    includes?: ReadonlySet<UserInclude>,
  ): UserListResponse {
    const now = new Date();
    const collection = `${this.baseUrl}/v1/environments/${environmentId}/users`;
    const href = (cursor?: string) => {
      const params = new URLSearchParams();
      if (query.filter) params.set('filter', query.filter);
      if (query.include) params.set('include', query.include);
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
      _embedded: { users: page.users.map((u) => withGroups(toUserResource(u, this.baseUrl, now), groups?.get(u.id), includes)) },
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

/** PingOne's memberOfGroupIDs and memberOfGroupNames, each present (possibly empty) only when included. */
function withGroups(
  body: UserResponse,
  groups: ReadonlyArray<{ id: string; name: string }> | undefined,
  includes: ReadonlySet<UserInclude> | undefined,
): UserResponse {
  if (!includes?.size) return body;
  return {
    ...body,
    ...(includes.has('memberOfGroupIDs') ? { memberOfGroupIDs: (groups ?? []).map((g) => g.id) } : {}),
    ...(includes.has('memberOfGroupNames') ? { memberOfGroupNames: (groups ?? []).map((g) => g.name) } : {}),
  };
}
