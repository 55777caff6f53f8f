import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from './prisma.service.js';

/** The client a repository queries with: an open transaction's, or the plain one. */
export type PrismaTx = Omit<PrismaService, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends' | 'onApplicationShutdown'>;

/**
 * Keeps the open transaction in async context, so services own transactions and repositories join
 * them without passing a client around. (`@nestjs-cls/transactional` does this too, but it is
 * CommonJS and requires NestJS 12's ES modules, which Jest's module loader cannot do on Node 20.)
 */
@Injectable()
export class TransactionHost {
  private readonly current = new AsyncLocalStorage<{ tx: PrismaTx; afterCommit: Array<() => void> }>();

  constructor(private readonly prisma: PrismaService) {}

  /** The caller's transaction when inside `run`, otherwise the plain client (one statement each). */
  get tx(): PrismaTx {
    return this.current.getStore()?.tx ?? this.prisma;
  }

  isTransactionActive(): boolean {
    return this.current.getStore() !== undefined;
  }

  /**
   * Runs a write that a unique index may refuse, and turns the refusal into `conflict()`'s error.
   * The index decides, never a prior read; a savepoint keeps the caller's transaction usable
   * after the refusal, so `conflict` can still query (e.g. for the existing row's id).
   */
  async withUniqueConstraint<T>(write: () => Promise<T>, conflict: () => Promise<Error>): Promise<T> {
    const tx = this.tx;
    const savepoint = this.isTransactionActive();
    if (savepoint) await tx.$executeRaw`SAVEPOINT unique_constraint`;
    try {
      const result = await write();
      if (savepoint) await tx.$executeRaw`RELEASE SAVEPOINT unique_constraint`;
      return result;
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
      if (savepoint) await tx.$executeRaw`ROLLBACK TO SAVEPOINT unique_constraint`;
      throw await conflict();
    }
  }

  /**
   * Calls `listener` once the open transaction has committed (never if it rolls back), or at once
   * outside a transaction. For signals that must not run before the data is visible, such as
   * waking the event relay.
   */
  afterCommit(listener: () => void): void {
    const store = this.current.getStore();
    if (store) store.afterCommit.push(listener);
    else listener();
  }

  /** Runs `work` in one transaction; a nested call joins the one already open. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.isTransactionActive()) return work();
    const afterCommit: Array<() => void> = [];
    const result = await this.prisma.$transaction((tx) => this.current.run({ tx, afterCommit }, work), {
      // Waiting for a pooled connection under a burst is normal; failing it would be a 500.
      maxWait: 15_000,
      timeout: 15_000,
    });
    for (const listener of afterCommit) listener();
    return result;
  }
}
