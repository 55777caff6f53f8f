import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from './prisma.service.js';

/**
 * What repositories inject to reach the database: `tx` is the caller's open transaction when a
 * service method runs inside `@Transactional()`, the plain client otherwise.
 */
export type Tx = TransactionHost<TransactionalAdapterPrisma<PrismaService>>;
