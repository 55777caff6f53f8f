import { Injectable } from '@nestjs/common';
import type { Reach } from '../common/authorization/access.js';
import { ResourceNotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { SecretBox, UndecryptableSecret } from '../crypto/secret-box.js';
import { toActivityWhere } from './activity-filter.query.js';
import { parseActivityFilter } from './activity-filter.js';
import { ActivitiesRepository, type StoredActivity } from './activities.repository.js';

export const DEFAULT_PAGE_SIZE = 100;

export interface ActivityPage {
  activities: StoredActivity[];
  /** The filter the page was read with (a cursor carries it). */
  filter: string;
  limit: number;
  /** The cursor of the next page, when there is one. */
  next?: string;
}

/** Where the next page starts, and the filter it belongs to. */
interface Position {
  filter: string;
  at: string;
  seq: string;
}

const CURSOR_PURPOSE = 'activity-cursor';

/** The activity (audit) log of an environment, read from the outbox newest first. */
@Injectable()
export class ActivitiesService {
  constructor(
    private readonly activities: ActivitiesRepository,
    private readonly box: SecretBox,
  ) {}

  /**
   * A page of the log. The filter must hold a date range (PingOne's rule). The next page's cursor
   * carries the filter, encrypted, so following `_links.next` needs nothing else and shows nothing
   * of a filter that a POST kept out of URLs; a filter sent along with a cursor must be the cursor's.
   */
  async list(environmentId: string, query: { filter?: string; limit?: number; cursor?: string }, reach: Reach): Promise<ActivityPage> {
    const position = query.cursor ? await this.open(query.cursor) : undefined;
    if (position && query.filter !== undefined && query.filter !== position.filter) {
      throw new ValidationFailed([{ code: 'INVALID_VALUE', target: 'cursor', message: 'The cursor belongs to another filter.' }]);
    }
    const filter = position?.filter ?? query.filter ?? '';
    const where = toActivityWhere(parseActivityFilter(filter));
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = position ? { createdAt: new Date(position.at), sequence: BigInt(position.seq) } : undefined;
    const page = await this.activities.page(environmentId, where, populationsOf(reach), after, limit);
    const last = page.activities.at(-1);
    const next =
      page.hasMore && last ? await this.seal({ filter, at: last.createdAt.toISOString(), seq: String(last.sequence) }) : undefined;
    return { activities: page.activities, filter, limit, ...(next ? { next } : {}) };
  }

  private seal(position: Position): Promise<string> {
    return this.box.encrypt(JSON.stringify(position), CURSOR_PURPOSE);
  }

  private async open(cursor: string): Promise<Position> {
    try {
      const position = JSON.parse(await this.box.decrypt(cursor, CURSOR_PURPOSE)) as Position;
      if (typeof position.filter === 'string' && !Number.isNaN(Date.parse(position.at)) && /^\d{1,19}$/.test(position.seq)) return position;
    } catch (error) {
      if (!(error instanceof UndecryptableSecret) && !(error instanceof SyntaxError)) throw error;
    }
    throw new ValidationFailed([{ code: 'INVALID_VALUE', target: 'cursor', message: 'The cursor is not one this service issued.' }]);
  }

  async get(environmentId: string, id: string, reach: Reach): Promise<StoredActivity> {
    const found = await this.activities.findById(environmentId, id, populationsOf(reach));
    if (!found) throw new ResourceNotFound('activity');
    return found;
  }
}

/** A population-scoped caller sees the events about users of its populations, and no others. */
function populationsOf(reach: Reach): readonly string[] | undefined {
  if (reach.kind === 'environment') return undefined;
  return reach.kind === 'populations' ? [...reach.populationIds] : [];
}
