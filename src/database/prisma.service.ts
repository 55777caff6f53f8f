import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import { DATABASE, type Database } from './database.js';

/** The Prisma client, on whichever database `DATABASE` opened. Injected only into repositories. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(DATABASE) private readonly database: Database) {
    super({ adapter: database.adapter });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    await this.database.close();
  }
}
