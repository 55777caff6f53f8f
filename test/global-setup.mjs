// Runs once before all suites, outside Jest's transform (plain ESM, no application imports).
// Makes sure the test database exists on Postgres and, for the embedded run, prepares one
// initialised PGlite data directory that every suite loads instead of running initdb again.
// It also compiles the service into dist/, for the suites that run it as separate processes
// (an instance killed with SIGKILL must be a process of its own).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/identity_test';

export default async function globalSetup() {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (process.env.TEST_DATABASE === 'embedded') {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create();
    const snapshot = await db.dumpDataDir('none');
    await db.close();
    const file = join(mkdtempSync(join(tmpdir(), 'identity-pglite-')), 'snapshot.tar');
    writeFileSync(file, Buffer.from(await snapshot.arrayBuffer()));
    process.env.TEST_PGLITE_SNAPSHOT = file;
    return;
  }
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL);
  process.env.DATABASE_URL = url.toString();
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The tests need PostgreSQL at ${url.host} (set DATABASE_URL, or start one: see README "Running the tests"): ${error.message}`,
    );
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
