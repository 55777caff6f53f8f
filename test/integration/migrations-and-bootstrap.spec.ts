import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { applyMigrations, MIGRATIONS_DIR, MigrationError } from '../../src/database/migrator.js';
import { BootstrapService } from '../../src/bootstrap/bootstrap.service.js';
import { startApp, type TestApp } from '../support/test-app.js';

const adminUrl = () => {
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = '/postgres';
  return url.toString();
};

describe('migrations on a fresh Postgres database', () => {
  const name = `identity_migrations_${process.pid}`;
  let client: pg.Client;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `/${name}`;
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  const session = () => ({
    query: (sql: string, params?: unknown[]) => client.query(sql, params),
    exec: (sql: string) => client.query(sql),
  });

  it('applies every migration once and records it as Prisma does', async () => {
    const first = await applyMigrations(session());
    expect(first.length).toBeGreaterThan(0);
    expect(await applyMigrations(session())).toEqual([]);

    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first);
    const sql = readFileSync(join(MIGRATIONS_DIR, first[0], 'migration.sql'), 'utf8');
    expect(rows[0].checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    expect(rows[0].finished_at).not.toBeNull();
    const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['User', 'OutboxEvent', 'Environment', 'Population', 'Application']),
    );
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const [firstName] = (await client.query('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name')).rows.map(
      (r) => r.migration_name as string,
    );
    const file = join(dir, firstName, 'migration.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited\n`);
    await expect(applyMigrations(session(), dir)).rejects.toBeInstanceOf(MigrationError);
  });

  it('rolls back a failing migration entirely and records nothing for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const bad = join(dir, '99990101000000_broken');
    cpSync(join(dir, (await client.query('SELECT migration_name FROM "_prisma_migrations" LIMIT 1')).rows[0].migration_name), bad, {
      recursive: true,
    });
    writeFileSync(join(bad, 'migration.sql'), 'CREATE TABLE "Half" (id int);\nSELECT * FROM "does_not_exist";');
    await expect(applyMigrations(session(), dir)).rejects.toThrow(/99990101000000_broken/);
    const half = await client.query(`SELECT to_regclass('"Half"') AS t`);
    expect(half.rows[0].t).toBeNull();
    const recorded = await client.query(
      `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`,
    );
    expect(recorded.rows[0].n).toBe(0);
  });
});

describe('bootstrap', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => t.close());

  it('creates an environment with a default population and a worker whose secret works once printed', async () => {
    const bootstrap = t.app.get(BootstrapService);
    const created = await bootstrap.createEnvironment('Bootstrap test');
    expect(created).toEqual({
      environmentId: expect.any(String),
      populationId: expect.any(String),
      clientId: expect.any(String),
      clientSecret: expect.any(String),
    });
    expect(created.clientSecret.length).toBeGreaterThanOrEqual(43);
    const text = bootstrap.instructions(created);
    expect(text.split(created.clientSecret)).toHaveLength(2); // printed exactly once
    expect(text).toContain("--header 'Content-Type: application/vnd.pingidentity.account.unlock+json'");
    await t.http
      .post(`/${created.environmentId}/as/token`)
      .auth(created.clientId, created.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(200);
  });

  it('does nothing on a database that already has an environment, even when started twice at once', async () => {
    const bootstrap = t.app.get(BootstrapService);
    await bootstrap.createEnvironment('Existing');
    const results = await Promise.all([bootstrap.createFirstEnvironment(), bootstrap.createFirstEnvironment()]);
    expect(results).toEqual([null, null]);
  });
});
