import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import { DATABASE, type Database } from './database.js';

/** The Prisma client, on whichever database `DATABASE` opened. Injected only into repositories. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(DATABASE) private readonly database: Database) {
    // Secrets are left out of every query unless a repository method asks for them by name.
    super({
      adapter: database.adapter,
      omit: { user: { passwordHash: true }, mfaDevice: { secret: true, secretCiphertext: true }, application: { clientSecretHash: true } },
      ...(database.onQuery ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {}),
    });
    const onQuery = database.onQuery;
    if (onQuery) (this as PrismaClient<'query'>).$on('query', (event) => onQuery(event.query, JSON.parse(event.params) as unknown[]));
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    await this.database.close();
  }
}
