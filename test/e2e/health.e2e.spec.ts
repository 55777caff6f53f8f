import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrivateNatsServer } from '../support/nats-server.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { FAST_RELAY } from '../support/relay.js';
import { startApp, type TestApp, usesEmbeddedDatabase } from '../support/test-app.js';

/** Waits until `check` holds; a request that fails or times out counts as "not yet". */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /health, /health/live and /health/ready', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('answers live and ready, without a token, while the database answers', async () => {
    await t.http.get('/health/live').expect(200, { status: 'UP' });
    await t.http.get('/health/ready').expect(200, { status: 'UP', checks: { database: 'UP' } });
    await t.http.get('/health').expect(200, { status: 'UP' });
  });
});

describe('GET /health/ready with NATS configured', () => {
  let nats: PrivateNatsServer;
  let database: OwnDatabase | undefined;
  let t: TestApp;

  beforeAll(async () => {
    // Not started yet: NATS_URL names a port nothing listens on.
    nats = await PrivateNatsServer.create();
    // This instance runs the relay (it publishes to NATS only then): on a database of its own, so
    // that it delivers no other suite's events.
    if (!usesEmbeddedDatabase()) database = await ownDatabase(`identity_health_${process.pid}`);
    // NATS's time limits are the webhook response's: FAST_RELAY's 400 ms is short for creating a stream on a busy machine.
    const config = { ...FAST_RELAY, webhookResponseTimeoutMs: 5000, natsUrl: nats.url, natsStream: 'IDENTITY_EVENTS_HEALTH' };
    t = await startApp(config, database?.open);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
    await nats?.dispose();
  });

  // Bounded, so that a machine too busy to answer fails with a message rather than a hang.
  const ready = () => t.http.get('/health/ready').timeout({ deadline: 10_000 });

  it('is not ready, naming NATS, while NATS is unreachable; live stays 200', async () => {
    const response = await ready().expect(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toMatchObject({ code: 'UNEXPECTED_ERROR', details: [{ code: 'UNAVAILABLE', target: 'nats' }] });
    expect(response.body.details).toHaveLength(1);
    await t.http.get('/health/live').expect(200, { status: 'UP' });
    // The database answers: the old health check still says so.
    await t.http.get('/health').expect(200);
  });

  it('becomes ready once NATS answers, and not ready again when it goes away', async () => {
    await nats.start();
    await eventually('ready once NATS answers', async () => (await ready()).status === 200);
    await ready().expect(200, { status: 'UP', checks: { database: 'UP', nats: 'UP' } });
    await nats.stop();
    await eventually('not ready once NATS is gone', async () => (await ready()).status === 503);
    await t.http.get('/health/live').expect(200);
  }, 120_000);
});
