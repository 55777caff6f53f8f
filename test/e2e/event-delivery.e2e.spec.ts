import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Webhook } from 'standardwebhooks';
import { MediaTypes } from '../../src/common/http/media-types.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { FAST_RELAY } from '../support/relay.js';
import { createEnvironment, startApp, type TestApp, type TestEnvironment, usesEmbeddedDatabase } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** The machine's NATS server with JetStream (.ci/run makes sure it runs). */
const NATS_URL = 'nats://127.0.0.1:4222';
const STREAM = 'IDENTITY_EVENTS';

describe('an unlock, made as the README shows, reaches a webhook receiver and a NATS consumer', () => {
  let database: OwnDatabase | undefined;
  let t: TestApp;
  let env: TestEnvironment;
  let receiver: WebhookReceiver;
  let nc: NatsConnection;

  beforeAll(async () => {
    // Its own database on Postgres: its relay delivers whatever the database holds.
    database = usesEmbeddedDatabase() ? undefined : await ownDatabase(`identity_delivery_e2e_${process.pid}`);
    t = await startApp({ ...FAST_RELAY, natsUrl: NATS_URL, natsStream: STREAM }, database?.open);
    env = await createEnvironment(t);
    receiver = await WebhookReceiver.start();
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await nc?.close();
    await receiver?.close();
    await t?.close();
    await database?.drop();
  });

  const api = (method: 'post' | 'get', path: string) => t.http[method](path).set('Authorization', `Bearer ${env.token}`);

  it('signed, in PingOne’s activity shape, on both', async () => {
    const { body: subscription } = await api('post', `/v1/environments/${env.environmentId}/subscriptions`)
      .set('Content-Type', MediaTypes.JSON)
      .send(
        JSON.stringify({
          name: 'README receiver',
          enabled: true,
          format: 'ACTIVITY',
          filterOptions: { includedActionTypes: ['USER.UNLOCKED'] },
          httpEndpoint: { url: receiver.url, headers: { 'X-Receiver-Key': 'k-123' } },
          verifyTlsCertificates: true,
        }),
      )
      .expect(201);
    // The relay creates the stream on its first publish: until then there is nothing to consume from.
    const consumer = await jetstream(nc)
      .consumers.get(STREAM, { filter_subjects: `identity.events.${env.environmentId}.USER.UNLOCKED` })
      .catch(() => null);

    // The README's calls: create a user, lock it, then PingOne's "User Account Unlock".
    const users = `/v1/environments/${env.environmentId}/users`;
    const { body: user } = await api('post', users)
      .set('Content-Type', 'application/json')
      .send('{"username":"alice@example.com","email":"alice@example.com"}')
      .expect(201);
    await api('post', `${users}/${user.id}`).set('Content-Type', MediaTypes.ACCOUNT_LOCK).expect(200);
    await api('post', `${users}/${user.id}`).set('Content-Type', MediaTypes.ACCOUNT_UNLOCK).expect(200);

    await receiver.until((r) => r.requests.length >= 1);
    const [request] = receiver.requests;
    expect(request?.headers['x-receiver-key']).toBe('k-123');
    expect(request?.events).toHaveLength(1);
    const event = request.events[0];
    expect(event).toMatchObject({
      action: { type: 'USER.UNLOCKED' },
      resources: [{ id: user.id, type: 'USER' }],
      result: { status: 'SUCCESS' },
    });
    expect(() => new Webhook(subscription.signingSecret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();

    const ordered =
      consumer ?? (await jetstream(nc).consumers.get(STREAM, { filter_subjects: `identity.events.${env.environmentId}.USER.UNLOCKED` }));
    const message = await ordered.next({ expires: 10_000 });
    expect(message?.subject).toBe(`identity.events.${env.environmentId}.USER.UNLOCKED`);
    expect(message?.headers?.get('Nats-Msg-Id')).toBe(event.id);
    expect(message?.json<Record<string, any>>()).toEqual(event);
  });
});
