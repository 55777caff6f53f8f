import { Prisma } from '../../generated/prisma/client.js';

/**
 * The rule of `holdsAt` (lock-state.ts) for the database: a lock holds at `now` while it is set
 * and its end, if any, is after `now`. Statements use the SQL; queries through Prisma's client use
 * the conditions. test/service/account-lock-rule.spec.ts checks that the three agree.
 */

/** The account lock holds at `now` (SQL, on the "User" row). */
export const accountLockHolds = (now: Date): Prisma.Sql =>
  Prisma.sql`("accountStatus" = 'LOCKED' AND ("unlockAt" IS NULL OR "unlockAt" > ${now}::timestamptz))`;

/** The password lock holds at `now` (SQL, on the "User" row). */
export const passwordLockHolds = (now: Date): Prisma.Sql =>
  Prisma.sql`("passwordLockedAt" IS NOT NULL AND ("passwordUnlockAt" IS NULL OR "passwordUnlockAt" > ${now}::timestamptz))`;

/**
 * The account lock is set but no longer holds at `now`: its end has come. With `accountLockHolds`
 * it splits the locked rows in two; written as a range on "unlockAt" so the sweeper's claim can
 * use the index on ("accountStatus", "unlockAt").
 */
export const accountLockExpired = (now: Date): Prisma.Sql => Prisma.sql`("accountStatus" = 'LOCKED' AND "unlockAt" <= ${now}::timestamptz)`;

/** The password lock is set but no longer holds at `now`. */
export const passwordLockExpired = (now: Date): Prisma.Sql =>
  Prisma.sql`("passwordLockedAt" IS NOT NULL AND "passwordUnlockAt" <= ${now}::timestamptz)`;

/** Users whose account lock holds at `now` (Prisma). */
export const accountLocked = (now: Date): Prisma.UserWhereInput => ({
  accountStatus: 'LOCKED',
  OR: [{ unlockAt: null }, { unlockAt: { gt: now } }],
});

/** Users whose account lock does not hold at `now`: never locked, unlocked, or past its end (Prisma). */
export const accountNotLocked = (now: Date): Prisma.UserWhereInput => ({ NOT: accountLocked(now) });
