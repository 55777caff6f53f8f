import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service.js';

/** The client a repository queries with: an open transaction's, or the plain one. */
export type PrismaTx = Omit<PrismaService, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends' | 'onModuleDestroy'>;

/**
 * Keeps the open transaction in async context, so services own transactions and repositories join
 * them without passing a client around. (`@nestjs-cls/transactional` does this too, but it is
 * CommonJS and requires NestJS 12's ES modules, which Jest's module loader cannot do on Node 20.)
 */
@Injectable()
export class TransactionHost {
  private readonly current = new AsyncLocalStorage<PrismaTx>();

  constructor(private readonly prisma: PrismaService) {}

  /** The caller's transaction when inside `run`, otherwise the plain client (one statement each). */
  get tx(): PrismaTx {
    return this.current.getStore() ?? this.prisma;
  }

  isTransactionActive(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** Runs `work` in one transaction; a nested call joins the one already open. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.isTransactionActive()) return work();
    return this.prisma.$transaction((tx) => this.current.run(tx, work), {
      // Waiting for a pooled connection under a burst is normal; failing it would be a 500.
      maxWait: 15_000,
      timeout: 15_000,
    });
  }
}
