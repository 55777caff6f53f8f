import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import { DATABASE, type Database } from './database.js';

/** The Prisma client, on whichever database `DATABASE` opened. Injected only into repositories. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
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

  /**
   * The last step of a shutdown: Nest calls this after every onModuleDestroy (the background jobs
   * stop there, finishing what they were doing) and after the HTTP server has closed (no request
   * left to serve), so nothing is cut by a closed pool.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.database.close();
  }
}
