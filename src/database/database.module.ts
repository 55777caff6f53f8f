import { Global, Logger, Module } from '@nestjs/common';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { ClsModule } from 'nestjs-cls';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DATABASE, openDatabase, type Database } from './database.js';
import { PrismaService } from './prisma.service.js';

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

@Global()
@Module({
  providers: [databaseProvider, PrismaService],
  exports: [DATABASE, PrismaService],
})
class PrismaModule {}

@Global()
@Module({
  imports: [
    PrismaModule,
    ClsModule.forRoot({
      global: true,
      plugins: [
        new ClsPluginTransactional({
          imports: [PrismaModule],
          adapter: new TransactionalAdapterPrisma({ prismaInjectionToken: PrismaService }),
        }),
      ],
    }),
  ],
  exports: [PrismaModule],
})
export class DatabaseModule {}
