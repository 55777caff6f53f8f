import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { PrivateNatsServer } from '../support/nats-server.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { createEnvironment, createUser, startApp, type TestApp, type TestEnvironment, usesEmbeddedDatabase } from '../support/test-app.js';
import { FAST_RELAY } from '../support/relay.js';

const STREAM = 'IDENTITY_EVENTS_TEST';
const describeOnPostgres = usesEmbeddedDatabase() ? describe.skip : describe;

describeOnPostgres('every event published to NATS JetStream, in order, through an outage', () => {
  let nats: PrivateNatsServer;
  let database: OwnDatabase;
  let t: TestApp;
  let env: TestEnvironment;

  beforeAll(async () => {
    nats = await PrivateNatsServer.create();
    await nats.start();
    database = await ownDatabase(`identity_relay_nats_${process.pid}`);
    t = await startApp({ ...FAST_RELAY, natsUrl: nats.url, natsStream: STREAM }, database.open);
    env = await createEnvironment(t);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
    await nats?.dispose();
  });

  /** Every message of the stream, oldest first. */
  async function streamMessages(): Promise<Array<{ subject: string; msgId: string | undefined; body: Record<string, any> }>> {
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(STREAM);
      const messages = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const m = await jsm.streams.getMessage(STREAM, { seq });
        if (m) messages.push({ subject: m.subject, msgId: m.header?.get('Nats-Msg-Id'), body: m.json<Record<string, any>>() });
      }
      return messages;
    } finally {
      await nc.close();
    }
  }
  async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('not reached in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const allEvents = () => t.app.get(OutboxRepository).listForEnvironment(env.environmentId);
  const natsCursor = () => t.app.get(TransactionHost).tx.deliveryCursor.findUnique({ where: { consumer: 'nats' } });

  it('publishes each event on identity.events.{envID}.{ACTION_TYPE} with Nats-Msg-Id = the event id, creating the stream', async () => {
    const user = await createUser(t, env, { username: `nats-${randomUUID()}` });
    await eventually(async () => (await streamMessages()).some((m) => m.body.resources?.[0]?.id === user.id));
    const messages = await streamMessages();
    const created = messages.find((m) => m.body.resources?.[0]?.id === user.id);
    expect(created?.subject).toBe(`identity.events.${env.environmentId}.USER.CREATED`);
    expect(created?.msgId).toBe(created?.body.id);
  });

  it('keeps the backlog while NATS is down and publishes it, in order, once NATS is back: nothing lost, nothing twice', async () => {
    await nats.stop();
    const during: string[] = [];
    for (let i = 0; i < 5; i++) during.push((await createUser(t, env, { username: `down-${randomUUID()}` })).id);
    await eventually(async () => ((await natsCursor())?.attempts ?? 0) > 0);
    expect((await natsCursor())?.lastError).toBeTruthy();

    await nats.start();
    await eventually(async () => {
      const ids = (await streamMessages()).map((m) => m.body.resources?.[0]?.id as string);
      return during.every((id) => ids.includes(id));
    }, 30_000);

    const messages = await streamMessages();
    const ids = messages.map((m) => m.msgId);
    expect(new Set(ids).size).toBe(ids.length);
    const expected = (await allEvents()).map((e) => e.id);
    expect(ids.filter((id) => expected.includes(id as string))).toEqual(expected);
    expect((await natsCursor())?.attempts).toBe(0);
  });
});
