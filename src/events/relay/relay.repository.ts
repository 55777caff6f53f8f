import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Activity } from '../event-catalog.js';

/** Only one instance places events at a time: the transaction that holds this lock. */
const SEQUENCER_LOCK = 727_073_692;
/** Announced (once per placed batch) so that every instance's consumers look at once. */
export const EVENTS_PLACED_CHANNEL = 'events_placed';

/** Which events a consumer takes; absent lists mean every value. */
export interface EventFilter {
  environmentId?: string;
  actionTypes?: readonly string[];
  populationIds?: readonly string[];
  applicationIds?: readonly string[];
}

export interface PlacedEvent {
  position: bigint;
  id: string;
  environmentId: string;
  type: string;
  payload: Activity;
}

export interface CursorState {
  consumer: string;
  subscriptionId: string | null;
  position: bigint;
  attempts: number;
  nextAttemptAt: Date | null;
}

export interface CursorStatus extends CursorState {
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastDeliveredAt: Date | null;
}

/** How far one consumer is behind: positions placed after its cursor, and the age of the first of them. */
export interface ConsumerBacklog {
  consumer: string;
  behind: bigint;
  /** Seconds since the oldest event it has still to handle was recorded; 0 when it has none. */
  oldestAgeSeconds: number;
}

/** What the relay needs of a subscription to deliver to it. */
export interface SubscriptionTarget {
  id: string;
  environmentId: string;
  enabled: boolean;
  includedActionTypes: string[];
  includedPopulationIds: string[];
  includedApplicationIds: string[];
  url: string;
  headersCiphertext: string | null;
  verifyTlsCertificates: boolean;
  signingSecretCiphertext: string;
  previousSigningSecretCiphertext: string | null;
  previousSigningSecretExpiresAt: Date | null;
}

/** The relay's SQL: placing committed events in commit order, consumers' cursors and leases, and pruning. */
@Injectable()
export class RelayRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /**
   * Gives up to `limit` committed, unplaced events the next positions, oldest insert first, if this
   * transaction gets the sequencer lock (else none: another instance is placing); returns how many
   * and the last position given. An event whose transaction has not committed is invisible here and
   * is placed by a later call, after the events that committed before it: positions follow
   * commits, not inserts, and are gap-free. Runs inside the caller's transaction.
   *
   * Only events above the watermark are looked at. The watermark moves up to the highest sequence
   * seen at an earlier round once every transaction that was running then has finished (the oldest
   * running transaction id is at least the first id that round's snapshot had not seen given): from
   * then on no event at or below it can still appear, and this round, whose snapshot shows them all,
   * has placed them. This holds because an event takes its transaction's id before its sequence
   * (`outbox_next_sequence()`): a transaction holding a sequence the round saw passed already has
   * an id below that bound.
   */
  async placeCommitted(limit: number): Promise<{ placed: number; last: bigint }> {
    // Its own statement: the next one's snapshot is taken once the lock is held, so it sees every
    // position the previous holder committed.
    const [lock] = await this.txHost.tx.$queryRaw<
      Array<{ locked: boolean }>
    >`SELECT pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) AS locked`;
    if (!lock?.locked) return { placed: 0, last: 0n };
    // One statement: read the state, place, save the state, announce. "settled": everything the
    // transactions running at the last round could have written is now visible (or never will be),
    // and this round placed all of it unless it stopped at its limit.
    const [round] = await this.txHost.tx.$queryRaw<Array<{ placed: number; last: bigint }>>`
      WITH state AS (
        SELECT "watermark", "pendingMax", "pendingXid", "lastPosition" FROM "OutboxSequencer" WHERE "id" = 1
        UNION ALL
        SELECT 0, 0, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM "OutboxSequencer" WHERE "id" = 1)
      ), next AS (
        SELECT o."sequence", row_number() OVER (ORDER BY o."sequence") AS n
        FROM "OutboxEvent" AS o, state
        WHERE o."sequence" > state."watermark"
          AND NOT EXISTS (SELECT 1 FROM "OutboxPosition" AS p WHERE p."sequence" = o."sequence")
        ORDER BY o."sequence" LIMIT ${limit}
      ), placed AS (
        INSERT INTO "OutboxPosition" ("position", "sequence")
        SELECT state."lastPosition" + next.n, next."sequence" FROM next, state
        RETURNING "position"
      ), round AS (
        SELECT state.*,
          (SELECT count(*)::int FROM placed) AS placed,
          coalesce((SELECT max("position") FROM placed), state."lastPosition") AS last,
          (SELECT count(*) FROM placed) < ${limit}
            AND state."pendingXid" <= pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS settled,
          pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax,
          (SELECT coalesce(max("sequence"), 0) FROM "OutboxEvent") AS "maxSequence"
        FROM state
      ), saved AS (
        INSERT INTO "OutboxSequencer" AS s ("id", "watermark", "pendingMax", "pendingXid", "lastPosition")
        SELECT 1,
          CASE WHEN settled THEN "pendingMax" ELSE "watermark" END,
          CASE WHEN settled THEN "maxSequence" ELSE "pendingMax" END,
          CASE WHEN settled THEN xmax ELSE "pendingXid" END,
          last
        FROM round
        ON CONFLICT ("id") DO UPDATE SET "watermark" = excluded."watermark", "pendingMax" = excluded."pendingMax",
          "pendingXid" = excluded."pendingXid", "lastPosition" = excluded."lastPosition"
      )
      -- The payload is the last position given: once this transaction commits, every position up to it is visible.
      SELECT round.placed, round.last, announced.done
      FROM round LEFT JOIN LATERAL (
        SELECT true AS done FROM pg_notify(${EVENTS_PLACED_CHANNEL}, round.last::text) WHERE round.placed > 0
      ) AS announced ON true`;
    return { placed: round?.placed ?? 0, last: round?.last ?? 0n };
  }

  /** The last position given. Every position up to it is committed and visible. */
  async lastPosition(): Promise<bigint> {
    const [row] = await this.txHost.tx.$queryRaw<
      Array<{ p: bigint }>
    >`SELECT coalesce(max("lastPosition"), 0)::bigint AS p FROM "OutboxSequencer"`;
    return row?.p ?? 0n;
  }

  /** The next events after `after` and up to `upTo` that `filter` takes, in position order. */
  async eventsAfter(after: bigint, upTo: bigint, filter: EventFilter, limit: number): Promise<PlacedEvent[]> {
    const conditions = [Prisma.sql`p."position" > ${after} AND p."position" <= ${upTo}`];
    if (filter.environmentId) conditions.push(Prisma.sql`o."environmentId" = ${filter.environmentId}::uuid`);
    if (filter.actionTypes) conditions.push(Prisma.sql`o."type" = ANY(${[...filter.actionTypes]}::text[])`);
    if (filter.populationIds?.length) conditions.push(Prisma.sql`o."populationId" = ANY(${[...filter.populationIds]}::uuid[])`);
    if (filter.applicationIds?.length) conditions.push(Prisma.sql`o."actorClientId" = ANY(${[...filter.applicationIds]}::text[])`);
    return this.txHost.tx.$queryRaw<PlacedEvent[]>`
      SELECT p."position", o."id", o."environmentId", o."type", o."payload"
      FROM "OutboxPosition" AS p JOIN "OutboxEvent" AS o ON o."sequence" = p."sequence"
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY p."position" LIMIT ${limit}`;
  }

  /** How many events after `after` the filter takes (counted up to `cap`), and when the oldest was recorded. */
  async backlog(after: bigint, filter: EventFilter, cap: number): Promise<{ count: number; oldest: Date | null }> {
    const upTo = await this.lastPosition();
    const events = await this.eventsAfter(after, upTo, filter, cap);
    const first = events[0];
    return { count: events.length, oldest: first ? new Date(first.payload.createdAt) : null };
  }

  /**
   * The backlog of every consumer that is delivered (enabled subscriptions, and `others`, e.g.
   * "nats"), in one statement: positions are gap-free, so how far a cursor is behind is a
   * subtraction, and the oldest waiting event is one lookup on the position's key. A subscription's
   * filter is not applied: events it does not take are passed over quickly but still wait in line.
   */
  async backlogs(others: readonly string[]): Promise<ConsumerBacklog[]> {
    return this.txHost.tx.$queryRaw<ConsumerBacklog[]>`
      SELECT c."consumer", greatest(s."lastPosition" - c."position", 0)::bigint AS "behind",
        coalesce(extract(epoch FROM now() - (
          SELECT o."createdAt" FROM "OutboxPosition" AS p JOIN "OutboxEvent" AS o ON o."sequence" = p."sequence"
          WHERE p."position" > c."position" AND p."position" <= s."lastPosition"
          ORDER BY p."position" LIMIT 1
        )), 0)::float8 AS "oldestAgeSeconds"
      FROM "DeliveryCursor" AS c
      CROSS JOIN (SELECT coalesce(max("lastPosition"), 0) AS "lastPosition" FROM "OutboxSequencer") AS s
      WHERE (c."subscriptionId" IS NULL AND c."consumer" = ANY(${[...others]}::text[]))
        OR EXISTS (SELECT 1 FROM "Subscription" AS sub WHERE sub."id" = c."subscriptionId" AND sub."enabled")
      ORDER BY c."consumer"`;
  }

  /** A cursor for a new consumer, after every event placed so far: it receives what is placed from now on. */
  async createCursor(consumer: string, subscriptionId: string | null): Promise<void> {
    await this.txHost.tx.$executeRaw`
      INSERT INTO "DeliveryCursor" ("consumer", "subscriptionId", "position")
      VALUES (${consumer}, ${subscriptionId}::uuid, (SELECT coalesce(max("lastPosition"), 0) FROM "OutboxSequencer"))
      ON CONFLICT ("consumer") DO NOTHING`;
  }

  /**
   * Renews this instance's leases that have not run out, and takes the consumers whose lease has
   * (or that nobody holds): enabled subscriptions and `others` (e.g. "nats"). Returns every consumer
   * this instance now holds. The database's clock decides expiry, so instances with skewed clocks
   * still agree.
   *
   * Renewal waits for the row: this instance's own delivery loop may be moving the cursor at this
   * very moment, and a renewal that skipped the row would make the instance think it had lost the
   * consumer, stop its loop mid-delivery and send that event again from a new one. Taking over
   * skips rows another instance is holding (`SKIP LOCKED`): those are alive.
   */
  async claim(owner: string, leaseMs: number, others: readonly string[]): Promise<CursorState[]> {
    const lease = Prisma.sql`now() + ${leaseMs} * interval '1 millisecond'`;
    const deliverable = Prisma.sql`(
      (c."subscriptionId" IS NULL AND c."consumer" = ANY(${[...others]}::text[]))
      OR EXISTS (SELECT 1 FROM "Subscription" AS s WHERE s."id" = c."subscriptionId" AND s."enabled"))`;
    const renewed = await this.txHost.tx.$queryRaw<CursorState[]>`
      UPDATE "DeliveryCursor" AS c SET "leaseExpiresAt" = ${lease}
      WHERE c."leaseOwner" = ${owner} AND c."leaseExpiresAt" > now() AND ${deliverable}
      RETURNING c."consumer", c."subscriptionId", c."position", c."attempts", c."nextAttemptAt"`;
    const taken = await this.txHost.tx.$queryRaw<CursorState[]>`
      UPDATE "DeliveryCursor" AS c SET "leaseOwner" = ${owner}, "leaseExpiresAt" = ${lease}
      WHERE c."consumer" IN (
        SELECT c."consumer" FROM "DeliveryCursor" AS c
        WHERE (c."leaseExpiresAt" IS NULL OR c."leaseExpiresAt" <= now()) AND ${deliverable}
        FOR UPDATE SKIP LOCKED)
      RETURNING c."consumer", c."subscriptionId", c."position", c."attempts", c."nextAttemptAt"`;
    return [...renewed, ...taken];
  }

  /** Gives up this instance's leases (on shutdown), so another instance takes over at once. */
  async release(owner: string): Promise<void> {
    await this.txHost.tx.$executeRaw`
      UPDATE "DeliveryCursor" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL WHERE "leaseOwner" = ${owner}`;
  }

  /**
   * Moves the cursor to `position` after a success, while `owner` still holds an unexpired lease
   * (false otherwise: the consumer is someone else's now, or gone). Clears the failure state.
   */
  async advance(consumer: string, owner: string, position: bigint, delivered: boolean): Promise<boolean> {
    const count = await this.txHost.tx.$executeRaw`
      UPDATE "DeliveryCursor" SET "position" = ${position}, "attempts" = 0, "nextAttemptAt" = NULL,
        "lastDeliveredAt" = CASE WHEN ${delivered} THEN now() ELSE "lastDeliveredAt" END
      WHERE "consumer" = ${consumer} AND "leaseOwner" = ${owner} AND "leaseExpiresAt" > now() AND "position" < ${position}`;
    return count === 1;
  }

  /** Records a failed attempt at the current event and when to try again; false if the lease is lost. */
  async recordFailure(consumer: string, owner: string, error: string, nextAttemptAt: Date): Promise<boolean> {
    const count = await this.txHost.tx.$executeRaw`
      UPDATE "DeliveryCursor" SET "attempts" = "attempts" + 1, "lastError" = ${error.slice(0, 1000)}, "lastErrorAt" = now(),
        "nextAttemptAt" = ${nextAttemptAt}::timestamptz
      WHERE "consumer" = ${consumer} AND "leaseOwner" = ${owner} AND "leaseExpiresAt" > now()`;
    return count === 1;
  }

  async cursor(consumer: string): Promise<CursorStatus | null> {
    const [row] = await this.txHost.tx.$queryRaw<CursorStatus[]>`
      SELECT "consumer", "subscriptionId", "position", "attempts", "nextAttemptAt", "leaseOwner", "leaseExpiresAt",
        "lastError", "lastErrorAt", "lastDeliveredAt"
      FROM "DeliveryCursor" WHERE "consumer" = ${consumer}`;
    return row ?? null;
  }

  async subscriptionTarget(id: string): Promise<SubscriptionTarget | null> {
    return this.txHost.tx.subscription.findUnique({
      where: { id },
      select: {
        id: true,
        environmentId: true,
        enabled: true,
        includedActionTypes: true,
        includedPopulationIds: true,
        includedApplicationIds: true,
        url: true,
        headersCiphertext: true,
        verifyTlsCertificates: true,
        signingSecretCiphertext: true,
        previousSigningSecretCiphertext: true,
        previousSigningSecretExpiresAt: true,
      },
    });
  }

  /**
   * Deletes up to `limit` of the oldest placed events recorded before `cutoff`. Rows another
   * instance is deleting are skipped, so any number of instances may prune at once.
   */
  async prune(cutoff: Date, limit: number): Promise<number> {
    return this.txHost.tx.$executeRaw`
      WITH head AS (
        SELECT o."sequence", o."createdAt" FROM "OutboxPosition" AS p JOIN "OutboxEvent" AS o ON o."sequence" = p."sequence"
        ORDER BY p."position" LIMIT ${limit} FOR UPDATE OF o SKIP LOCKED
      )
      DELETE FROM "OutboxEvent" AS o USING head
      WHERE o."sequence" = head."sequence" AND head."createdAt" < ${cutoff}::timestamptz`;
  }
}
