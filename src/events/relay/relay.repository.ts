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
   * and the last position given. An event whose
   * transaction has not committed is invisible here and is placed by a later call, after the
   * events that committed before it: positions follow commits, not inserts, and are gap-free.
   * Runs inside the caller's transaction, which must commit before the positions are read.
   */
  async placeCommitted(limit: number): Promise<{ placed: number; last: bigint }> {
    const [lock] = await this.txHost.tx.$queryRaw<
      Array<{ locked: boolean }>
    >`SELECT pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) AS locked`;
    if (!lock?.locked) return { placed: 0, last: 0n };
    const [result] = await this.txHost.tx.$queryRaw<Array<{ placed: number; last: bigint | null }>>`
      WITH base AS (SELECT coalesce(max("position"), 0) AS p FROM "OutboxEvent"),
      next AS (
        SELECT "sequence", row_number() OVER (ORDER BY "sequence") AS n
        FROM "OutboxEvent" WHERE "position" IS NULL ORDER BY "sequence" LIMIT ${limit}
      ),
      placed AS (
        UPDATE "OutboxEvent" AS o SET "position" = base.p + next.n
        FROM base, next WHERE o."sequence" = next."sequence"
        RETURNING o."position"
      )
      SELECT count(*)::int AS placed, max("position") AS last FROM placed`;
    const placed = result?.placed ?? 0;
    const last = result?.last ?? 0n;
    // The payload is the last position given: once this transaction commits, every position up to it is visible.
    if (placed > 0) await this.txHost.tx.$executeRaw`SELECT pg_notify(${EVENTS_PLACED_CHANNEL}, ${String(last)})`;
    return { placed, last };
  }

  /** The last position given. Every position up to it is committed and visible. */
  async lastPosition(): Promise<bigint> {
    const [row] = await this.txHost.tx.$queryRaw<Array<{ p: bigint }>>`SELECT coalesce(max("position"), 0)::bigint AS p FROM "OutboxEvent"`;
    return row?.p ?? 0n;
  }

  /** The next events after `after` and up to `upTo` that `filter` takes, in position order. */
  async eventsAfter(after: bigint, upTo: bigint, filter: EventFilter, limit: number): Promise<PlacedEvent[]> {
    const conditions = [Prisma.sql`"position" > ${after} AND "position" <= ${upTo}`];
    if (filter.environmentId) conditions.push(Prisma.sql`"environmentId" = ${filter.environmentId}::uuid`);
    if (filter.actionTypes) conditions.push(Prisma.sql`"type" = ANY(${[...filter.actionTypes]}::text[])`);
    if (filter.populationIds?.length) conditions.push(Prisma.sql`"populationId" = ANY(${[...filter.populationIds]}::uuid[])`);
    if (filter.applicationIds?.length) conditions.push(Prisma.sql`"actorClientId" = ANY(${[...filter.applicationIds]}::text[])`);
    return this.txHost.tx.$queryRaw<PlacedEvent[]>`
      SELECT "position", "id", "environmentId", "type", "payload" FROM "OutboxEvent"
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY "position" LIMIT ${limit}`;
  }

  /** How many events after `after` the filter takes (counted up to `cap`), and when the oldest was recorded. */
  async backlog(after: bigint, filter: EventFilter, cap: number): Promise<{ count: number; oldest: Date | null }> {
    const upTo = await this.lastPosition();
    const events = await this.eventsAfter(after, upTo, filter, cap);
    const first = events[0];
    return { count: events.length, oldest: first ? new Date(first.payload.createdAt) : null };
  }

  /** A cursor for a new consumer, after every event placed so far: it receives what is placed from now on. */
  async createCursor(consumer: string, subscriptionId: string | null): Promise<void> {
    await this.txHost.tx.$executeRaw`
      INSERT INTO "DeliveryCursor" ("consumer", "subscriptionId", "position")
      VALUES (${consumer}, ${subscriptionId}::uuid, (SELECT coalesce(max("position"), 0) FROM "OutboxEvent"))
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
        SELECT "sequence", "createdAt" FROM "OutboxEvent" WHERE "position" IS NOT NULL
        ORDER BY "position" LIMIT ${limit} FOR UPDATE SKIP LOCKED
      )
      DELETE FROM "OutboxEvent" AS o USING head
      WHERE o."sequence" = head."sequence" AND head."createdAt" < ${cutoff}::timestamptz`;
  }
}
