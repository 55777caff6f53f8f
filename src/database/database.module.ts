import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DATABASE, openDatabase, type Database } from './database.js';
import { PrismaService } from './prisma.service.js';
import { TransactionHost } from './transaction-host.js';

const databaseProvider = {
  provide: DATABASE,
  inject: [APP_CONFIG],
  useFactory: async (config: AppConfig): Promise<Database> => {
    const database = await openDatabase(config);
    const applied = await database.migrate();
    if (applied.length > 0) new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
    return database;
  },
};

/** Opens the database (migrating it) and provides the Prisma client and the transaction host. */
@Global()
@Module({
  providers: [databaseProvider, PrismaService, TransactionHost],
  exports: [DATABASE, PrismaService, TransactionHost],
})
export class DatabaseModule {}
