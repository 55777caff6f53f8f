import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { isDatabaseUnavailable, toErrorResponse } from '../../src/common/errors/error-response.js';
import { type Database, openEmbedded, openPostgres } from '../../src/database/database.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { startApp } from '../support/test-app.js';

/**
 * The unavailability check against the errors Prisma, its driver adapters, `pg` and PGlite really
 * raise: each produced here against a closed port, a fake server or a terminated connection of
 * this test's own (the shared Postgres is never stopped), then classified.
 */
describe('database unavailability, as the drivers report it', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  /** A TCP server on a free port of 127.0.0.1 that does `onConnection` with each socket. */
  async function fakeServer(onConnection: (socket: Socket) => void): Promise<number> {
    const server = createServer((socket) => {
      sockets.push(socket);
      onConnection(socket);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  /** What a query through Prisma raises on `database`. */
  async function failureOn(database: Database): Promise<unknown> {
    const prisma = new PrismaService(database);
    try {
      await prisma.user.findFirst();
      throw new Error('the query succeeded');
    } catch (error) {
      return error;
    } finally {
      await prisma.$disconnect().catch(() => undefined);
      await database.close().catch(() => undefined);
    }
  }

  function expect503(error: unknown): void {
    expect(isDatabaseUnavailable(error)).toBe(true);
    const response = toErrorResponse(error);
    expect({ status: response.status, retryAfter: response.headers['retry-after'] }).toEqual({ status: 503, retryAfter: '5' });
  }

  it('a closed port (ECONNREFUSED, DatabaseNotReachable)', async () => {
    expect503(await failureOn(openPostgres(`postgresql://postgres@127.0.0.1:${await closedPort()}/x`, 1)));
  });

  it('a server that accepts and hangs up (pg: Connection terminated unexpectedly)', async () => {
    const port = await fakeServer((socket) => socket.destroy());
    expect503(await failureOn(openPostgres(`postgresql://postgres@127.0.0.1:${port}/x`, 1)));
  });

  it('a server that never answers (pg: Connection terminated due to connection timeout)', async () => {
    const port = await fakeServer(() => undefined);
    const pool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${port}/x`, connectionTimeoutMillis: 200 });
    const database = { adapter: new PrismaPg(pool), close: () => pool.end() } as unknown as Database;
    const error = await failureOn(database);
    expect(String(error)).toMatch(/connection timeout/);
    expect503(error);
  });

  it.each([
    ['57P03', 'the database system is starting up'],
    ['57P01', 'terminating connection due to administrator command'],
    ['53300', 'sorry, too many clients already'],
  ])('a server that refuses the connection with %s', async (code, message) => {
    // PostgreSQL's ErrorResponse message, sent in answer to the startup message.
    const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`);
    const reply = Buffer.concat([Buffer.from('E'), Buffer.alloc(4), fields]);
    reply.writeInt32BE(4 + fields.length, 1);
    const port = await fakeServer((socket) => socket.once('data', () => socket.end(reply)));
    expect503(await failureOn(openPostgres(`postgresql://postgres@127.0.0.1:${port}/x`, 1)));
  });

  it('a connection terminated while its statement runs (57P01 under meta.driverAdapterError.cause)', async () => {
    const url = process.env.DATABASE_URL as string;
    const database = openPostgres(url, 1);
    const prisma = new PrismaService(database);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const [{ pid }] = await prisma.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
      const running = prisma.$queryRaw`SELECT pg_sleep(5)`.then(
        () => new Error('the statement finished'),
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await admin.query('SELECT pg_terminate_backend($1)', [pid]); // this test's own connection
      const error = (await running) as { meta?: { driverAdapterError?: { cause?: { code?: string } } } };
      expect(error.meta?.driverAdapterError?.cause?.code).toBe('57P01');
      expect503(error);
      // The pool replaces the connection: the next statement succeeds.
      await expect(prisma.$queryRaw`SELECT 1`).resolves.toBeDefined();
    } finally {
      await admin.end();
      await prisma.$disconnect();
      await database.close();
    }
  });

  it('a closed embedded database (PGlite)', async () => {
    const lite = await PGlite.create();
    const database = openEmbedded(lite);
    const prisma = new PrismaService(database);
    await prisma.$queryRaw`SELECT 1`;
    await lite.close();
    const error = await prisma.$queryRaw`SELECT 1`.then(
      () => new Error('the query succeeded'),
      (e: unknown) => e,
    );
    expect503(error);
  });

  it('is not fooled by the errors of a statement', async () => {
    const database = openPostgres(process.env.DATABASE_URL as string, 1);
    const prisma = new PrismaService(database);
    try {
      for (const statement of [
        prisma.$queryRaw`SELECT 1/0`,
        prisma.$queryRaw`SELECT ${'a\u0000'}::text`,
        prisma.$queryRaw`SELECT nothing`,
      ]) {
        const error = await statement.then(
          () => new Error('the statement succeeded'),
          (e: unknown) => e,
        );
        expect(isDatabaseUnavailable(error)).toBe(false);
      }
    } finally {
      await prisma.$disconnect();
      await database.close();
    }
  });

  it('answers /health and /health/ready with 503 and Retry-After while the database is unreachable', async () => {
    const port = await closedPort();
    const t = await startApp({}, () => Promise.resolve(openPostgres(`postgresql://postgres@127.0.0.1:${port}/x`, 1)));
    try {
      for (const path of ['/health', '/health/ready']) {
        const response = await t.http.get(path);
        expect({ path, status: response.status }).toEqual({ path, status: 503 });
        expect(response.headers['retry-after']).toBe('5');
        expect(response.body).toMatchObject({ id: expect.any(String), code: expect.any(String), message: expect.any(String) });
      }
    } finally {
      await t.close();
    }
  });
});
