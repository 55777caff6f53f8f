import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { encodeCursor } from '../common/pagination/cursor.js';
import type { GroupListResponse, GroupResponse } from './dto/group.response.js';
import type { GroupMembershipListResponse, GroupMembershipResponse } from './dto/membership.response.js';
import type { Membership } from './group.js';
import type { GroupView, GroupViewPage } from './groups.service.js';
import type { MembershipPage } from './membership-page.js';

type ListQuery = { filter?: string; limit?: number; cursor?: string; expand?: string };

/** PingOne's representation of groups and group memberships, with absolute links under the public base URL. */
@Injectable()
export class GroupPresenter {
  private readonly baseUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.baseUrl = config.publicBaseUrl;
  }

  group({ group: g, counts }: GroupView): GroupResponse {
    const environment = this.environment(g.environmentId);
    const self = `${environment}/groups/${g.id}`;
    return {
      _links: {
        self: { href: self },
        environment: { href: environment },
        ...(g.populationId ? { population: { href: `${environment}/populations/${g.populationId}` } } : {}),
        memberOfGroups: { href: `${self}/memberOfGroups` },
      },
      id: g.id,
      environment: { id: g.environmentId },
      ...(g.populationId ? { population: { id: g.populationId } } : {}),
      name: g.name,
      displayName: g.name,
      ...(g.description !== null ? { description: g.description } : {}),
      ...(g.externalId !== null ? { externalId: g.externalId } : {}),
      ...(g.customData !== null ? { customData: g.customData } : {}),
      directMemberCounts: { ...counts.direct },
      ...(counts.totalUsers !== undefined ? { totalMemberCounts: { users: counts.totalUsers } } : {}),
      createdAt: g.createdAt.toISOString(),
      updatedAt: g.updatedAt.toISOString(),
    };
  }

  page(environmentId: string, page: GroupViewPage, query: ListQuery): GroupListResponse {
    const last = page.groups.at(-1)?.group;
    const href = this.pageHref(`${this.environment(environmentId)}/groups`, query);
    return {
      _links: { self: { href: href(query.cursor) }, ...(page.hasMore && last ? { next: { href: href(encodeCursor(last.id)) } } : {}) },
      _embedded: { groups: page.groups.map((g) => this.group(g)) },
      count: page.total,
      size: page.groups.length,
    };
  }

  /** `owner`: the path below the environment of the user or group whose memberships these are. */
  membership(environmentId: string, owner: string, m: Membership, expand?: string): GroupMembershipResponse {
    const environment = this.environment(environmentId);
    return {
      _links: {
        self: { href: `${environment}/${owner}/memberOfGroups/${m.group.id}` },
        group: { href: `${environment}/groups/${m.group.id}` },
      },
      id: m.group.id,
      environment: { id: environmentId },
      name: m.group.name,
      type: m.type,
      // Counts are not read for an embedded group: they are zeroes only in appearance, so they are read when asked for the group itself.
      ...(expand === 'group' ? { _embedded: { group: this.embedded(m) } } : {}),
    };
  }

  memberships(environmentId: string, owner: string, page: MembershipPage, query: ListQuery): GroupMembershipListResponse {
    const last = page.memberships.at(-1)?.group;
    const href = this.pageHref(`${this.environment(environmentId)}/${owner}/memberOfGroups`, query);
    return {
      _links: { self: { href: href(query.cursor) }, ...(page.hasMore && last ? { next: { href: href(encodeCursor(last.id)) } } : {}) },
      _embedded: { groupMemberships: page.memberships.map((m) => this.membership(environmentId, owner, m, query.expand)) },
      size: page.memberships.length,
    };
  }

  private embedded(m: Membership): GroupResponse {
    const { directMemberCounts: _counts, ...group } = this.group({ group: m.group, counts: { direct: { users: 0, groups: 0 } } });
    return group;
  }

  private environment(environmentId: string): string {
    return `${this.baseUrl}/v1/environments/${environmentId}`;
  }

  private pageHref(collection: string, query: ListQuery) {
    return (cursor?: string) => {
      const params = new URLSearchParams();
      if (query.filter) params.set('filter', query.filter);
      if (query.expand) params.set('expand', query.expand);
      if (query.limit) params.set('limit', String(query.limit));
      if (cursor) params.set('cursor', cursor);
      const search = params.toString();
      return search ? `${collection}?${search}` : collection;
    };
  }
}
