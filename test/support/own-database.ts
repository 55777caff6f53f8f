import pg from 'pg';
import { openPostgres, type Database } from '../../src/database/database.js';

export interface OwnDatabase {
  /** Opens (and migrates) the database: pass as `startApp`'s database factory. */
  open(): Promise<Database>;
  drop(): Promise<void>;
}

/**
 * A Postgres database for one test file alone, for suites whose work crosses environments (a
 * sweep unlocks expired locks of every environment, so on the shared test database it would
 * change other suites' users, and theirs its counts).
 */
export async function ownDatabase(name: string): Promise<OwnDatabase> {
  const urlOf = (database: string) => {
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: urlOf('postgres') });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  return {
    open: async () => {
      const database = openPostgres(urlOf(name), 10);
      await database.migrate();
      return database;
    },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
