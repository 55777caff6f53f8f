import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxWriter } from '../../src/events/outbox.writer.js';
import { EventRelay } from '../../src/events/relay/event-relay.js';
import { RelayRepository } from '../../src/events/relay/relay.repository.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { FAST_RELAY } from '../support/relay.js';
import { insertSubscription } from '../support/subscriptions.js';
import { createEnvironment, createUser, startApp, type TestApp, type TestEnvironment, usesEmbeddedDatabase } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const describeOnPostgres = usesEmbeddedDatabase() ? describe.skip : describe;

describeOnPostgres('the event relay: webhooks in commit order, retried until accepted', () => {
  let database: OwnDatabase;
  let t: TestApp;
  let env: TestEnvironment;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    database = await ownDatabase(`identity_relay_${process.pid}`);
    t = await startApp(FAST_RELAY, database.open);
    env = await createEnvironment(t);
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };
  const subscribe = (url: string, actionTypes = ['USER.CREATED', 'USER.UPDATED', 'USER.DELETED']) =>
    insertSubscription(t, { environmentId: env.environmentId, url, actionTypes });
  const newUsers = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await createUser(t, env, { username: `u-${randomUUID()}` })).id);
    return ids;
  };
  const createdIds = (r: WebhookReceiver) =>
    r.requests.filter((q) => q.outcome === 'ok').flatMap((q) => q.events.map((e) => e.resources[0].id as string));

  it('posts each matching event as a signed JSON array of one activity, with the subscription headers', async () => {
    const r = await receiver();
    const { secret } = await insertSubscription(t, {
      environmentId: env.environmentId,
      url: r.url,
      actionTypes: ['USER.CREATED'],
      headers: { authorization: 'Basic dXNlcjpwYXNz', 'x-tenant': 'acme' },
    });
    const [userId] = await newUsers(1);
    await r.until((x) => x.requests.length >= 1);

    const [request] = r.requests;
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Basic dXNlcjpwYXNz');
    expect(request?.headers['x-tenant']).toBe('acme');
    expect(request?.events).toHaveLength(1);
    const [event] = request.events;
    expect(event).toMatchObject({ action: { type: 'USER.CREATED' }, resources: [{ id: userId, type: 'USER' }] });
    expect(request?.headers['webhook-id']).toBe(event?.id);
    // Verified the way a receiver would, with the maintained package.
    expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    expect(() =>
      new Webhook(`whsec_${Buffer.from('wrong').toString('base64')}`).verify(request.body, request.headers as Record<string, string>),
    ).toThrow();
  });

  it('delivers only the action types and the environment the subscription names', async () => {
    const r = await receiver();
    await subscribe(r.url, ['USER.DELETED']);
    const [keep, gone] = await newUsers(2);
    await t.http.delete(`/v1/environments/${env.environmentId}/users/${gone}`).set('Authorization', `Bearer ${env.token}`).expect(204);
    const other = await createEnvironment(t);
    const elsewhere = await createUser(t, other, { username: 'elsewhere' });
    await t.http
      .delete(`/v1/environments/${other.environmentId}/users/${elsewhere.id}`)
      .set('Authorization', `Bearer ${other.token}`)
      .expect(204);
    await r.until((x) => x.requests.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests.flatMap((q) => q.events.map((e) => [e.action.type, e.resources[0].id]))).toEqual([['USER.DELETED', gone]]);
    expect(keep).toBeDefined();
  });

  it('never skips an event whose transaction commits after a later one was delivered: both arrive, in commit order', async () => {
    const r = await receiver();
    await subscribe(r.url, ['USER.UPDATED']);
    const [early, late, ...later] = await newUsers(4);
    const writer = t.app.get(OutboxWriter);
    const transactions = t.app.get(TransactionHost);
    const context = { correlationId: 'held-open' };
    const subject = (id: string) => ({ id, username: id, environmentId: env.environmentId, populationId: env.populationId });

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let recorded!: () => void;
    const heldRecorded = new Promise<void>((resolve) => (recorded = resolve));
    // The first event is written (its sequence is taken) in a transaction that stays open...
    const held = transactions.run(async () => {
      await writer.record({ type: 'USER.UPDATED', subject: subject(early), context, description: 'held open' });
      recorded();
      await gate;
    });
    await heldRecorded;
    // ...while a later event commits and is delivered.
    await transactions.run(() => writer.record({ type: 'USER.UPDATED', subject: subject(late), context, description: 'committed first' }));
    await r.until((x) => x.requests.length >= 1);
    expect(createdIds(r)).toEqual([late]);
    // More rounds of the sequencer run while it is open: none may move its watermark past the held event.
    for (const [i, id] of later.entries()) {
      await transactions.run(() => writer.record({ type: 'USER.UPDATED', subject: subject(id), context, description: 'committed first' }));
      await r.until((x) => x.requests.length >= 2 + i);
    }
    expect(createdIds(r)).toEqual([late, ...later]);

    release();
    await held;
    await r.until((x) => x.requests.length >= 4);
    expect(createdIds(r)).toEqual([late, ...later, early]);
  });

  const faults: Array<[string, Parameters<WebhookReceiver['answer']>[0]]> = [
    ['answers 500', { kind: 'status', status: 500 }],
    ['drops the connection', { kind: 'drop' }],
    ['redirects (not followed)', { kind: 'redirect', location: 'http://127.0.0.1:1/elsewhere' }],
    ['answers after the response timeout', { kind: 'slow', ms: 1000 }],
    ['never answers', { kind: 'hang' }],
  ];

  it.each(faults)(
    'a receiver that %s gets the same event again, with the same id, until it accepts it; the next waits; other subscriptions are not held back',
    async (_name, fault) => {
      const failing = await receiver();
      const healthy = await receiver();
      failing.answer(fault, fault);
      await subscribe(failing.url);
      await subscribe(healthy.url);
      const [first, second] = await newUsers(2);

      await healthy.until((x) => createdIds(x).length >= 2);
      // The healthy subscription already has both while the failing one is still on the first.
      expect(createdIds(healthy)).toEqual([first, second]);
      await failing.until((x) => createdIds(x).length >= 2);

      const attempts = failing.requests.map((q) => [q.outcome, q.events[0]?.resources[0].id, q.headers['webhook-id']]);
      expect(attempts.slice(0, 3).map(([, id]) => id)).toEqual([first, first, first]);
      expect(new Set(attempts.slice(0, 3).map(([, , webhookId]) => webhookId)).size).toBe(1);
      expect(createdIds(failing)).toEqual([first, second]);
      // The second event was not sent before the first was accepted (head of line).
      const firstAccepted = failing.requests.findIndex((q) => q.outcome === 'ok');
      expect(failing.requests.slice(0, firstAccepted).every((q) => q.events[0]?.resources[0].id === first)).toBe(true);
    },
  );

  it('keeps the events of a disabled subscription and delivers them, in order, once it is enabled again', async () => {
    const r = await receiver();
    const { id } = await insertSubscription(t, {
      environmentId: env.environmentId,
      url: r.url,
      actionTypes: ['USER.CREATED'],
      enabled: false,
    });
    const users = await newUsers(3);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(r.requests).toHaveLength(0);

    await t.app.get(TransactionHost).tx.subscription.update({ where: { id }, data: { enabled: true } });
    await r.until((x) => createdIds(x).length >= 3);
    expect(createdIds(r)).toEqual(users);
  });

  it('prunes events past the retention period; a subscription that had not delivered them resumes after them', async () => {
    const r = await receiver();
    const { id } = await insertSubscription(t, {
      environmentId: env.environmentId,
      url: r.url,
      actionTypes: ['USER.CREATED'],
      enabled: false,
    });
    const [old, kept] = await newUsers(2);
    const tx = t.app.get(TransactionHost).tx;
    const longAgo = new Date(Date.now() - (t.config.activityRetentionDays + 1) * 86_400_000);
    await tx.outboxEvent.updateMany({ where: { resourceId: old, type: 'USER.CREATED' }, data: { createdAt: longAgo } });
    // The events must be placed before they can be pruned (never an event the relay has not seen).
    await t.app.get(EventRelay).runOnce();

    expect(await t.app.get(EventRelay).prune()).toBeGreaterThanOrEqual(1);
    expect(await tx.outboxEvent.count({ where: { resourceId: old } })).toBe(0);
    expect(await tx.outboxEvent.count({ where: { resourceId: kept } })).toBe(1);

    await tx.subscription.update({ where: { id }, data: { enabled: true } });
    await r.until((x) => createdIds(x).length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(createdIds(r)).toEqual([kept]);
  });

  it('keeps a consumer whose cursor row its own delivery loop holds: the renewal waits for the row instead of skipping it', async () => {
    const r = await receiver();
    const { id } = await subscribe(r.url);
    const relay = t.app.get(EventRelay);
    const relayRepository = t.app.get(RelayRepository);
    const transactions = t.app.get(TransactionHost);
    await relay.runOnce();
    await relayRepository.claim(relay.owner, 2000, []);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // As the delivery loop does while it moves the cursor: the row is held by a transaction.
    const holder = transactions.run(async () => {
      await transactions.tx.$queryRaw`SELECT 1 FROM "DeliveryCursor" WHERE "consumer" = ${id} FOR UPDATE`;
      locked();
      await gate;
    });
    await isLocked;
    const claimed = relayRepository.claim(relay.owner, 2000, []);
    setTimeout(release, 200);
    const held = await claimed;
    await holder;
    expect(held.map((c) => c.consumer)).toContain(id);
  });
});
