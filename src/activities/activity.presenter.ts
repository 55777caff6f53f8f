import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ActivityPageResponse, ActivityResponse } from './dto/activity.response.js';
import type { StoredActivity } from './activities.repository.js';
import type { ActivityPage } from './activities.service.js';

export type ActivityResource = ActivityResponse;
export type ActivityPageResource = ActivityPageResponse;

/** PingOne's HAL bodies of the activity log, with absolute links under the public base URL. */
@Injectable()
export class ActivityPresenter {
  private readonly baseUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.baseUrl = config.publicBaseUrl;
  }

  activity(environmentId: string, { activity }: StoredActivity): ActivityResource {
    return {
      _links: { self: { href: `${this.collection(environmentId)}/${activity.id}` } },
      ...(activity as Omit<ActivityResponse, '_links'>),
    };
  }

  /**
   * `self` repeats a GET (a POST's is the bare collection: its filter stays out of URLs); `next` is
   * the next page's GET, which needs only the cursor.
   */
  page(environmentId: string, page: ActivityPage, request: { cursor?: string; post: boolean }): ActivityPageResource {
    const href = (params: Record<string, string>) => {
      const query = new URLSearchParams(params).toString();
      return query ? `${this.collection(environmentId)}?${query}` : this.collection(environmentId);
    };
    const limit = String(page.limit);
    const self: Record<string, string> = request.post
      ? {}
      : request.cursor
        ? { limit, cursor: request.cursor }
        : { filter: page.filter, limit };
    return {
      _links: {
        self: { href: href(self) },
        ...(page.next ? { next: { href: href({ limit: String(page.limit), cursor: page.next }) } } : {}),
      },
      _embedded: { activities: page.activities.map((a) => this.activity(environmentId, a)) },
      size: page.activities.length,
    };
  }

  private collection(environmentId: string): string {
    return `${this.baseUrl}/v1/environments/${environmentId}/activities`;
  }
}
