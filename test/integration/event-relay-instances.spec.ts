import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { ownDatabase, type OwnDatabase } from '../support/own-database.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { insertSubscription } from '../support/subscriptions.js';
import { createEnvironment, createUser, startApp, type TestApp, type TestEnvironment, usesEmbeddedDatabase } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** Two instances of the compiled service share one Postgres and deliver; this test process writes the events. */
const RELAY_ENV = {
  EVENT_RELAY: 'true',
  EVENT_RELAY_POLL_MS: '50',
  EVENT_RELAY_LEASE_MS: '2000',
  WEBHOOK_ALLOW_INSECURE_TARGETS: 'true',
  WEBHOOK_CONNECT_TIMEOUT_MS: '500',
  WEBHOOK_RESPONSE_TIMEOUT_MS: '1000',
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_MAX_MS: '300',
};

const describeOnPostgres = usesEmbeddedDatabase() ? describe.skip : describe;

describeOnPostgres('event delivery by two instances on one Postgres', () => {
  let database: OwnDatabase;
  let databaseUrl: string;
  let t: TestApp;
  let env: TestEnvironment;
  const instances: ServiceProcess[] = [];
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    const name = `identity_relay_instances_${process.pid}`;
    database = await ownDatabase(name);
    t = await startApp({}, database.open);
    env = await createEnvironment(t);
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) {
      instance.kill('SIGKILL');
      await instance.exited;
    }
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
  const startInstances = async () => {
    instances.push(...(await Promise.all([startServiceProcess(databaseUrl, RELAY_ENV), startServiceProcess(databaseUrl, RELAY_ENV)])));
  };
  const newUsers = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await createUser(t, env, { username: `u-${randomUUID()}` })).id);
    return ids;
  };
  const userIds = (r: WebhookReceiver) =>
    r.requests.filter((q) => q.outcome === 'ok' || q.outcome === 'slow').map((q) => q.events[0]?.resources[0].id as string);
  const firstOccurrences = (ids: string[]) => [...new Set(ids)];
  const leaseHolder = async (subscriptionId: string) => {
    const cursor = await t.app.get(TransactionHost).tx.deliveryCursor.findUnique({ where: { consumer: subscriptionId } });
    return cursor?.leaseOwner ?? null;
  };

  it('delivers every event to every subscription exactly in commit order, each subscription by one instance at a time', async () => {
    const rs = await Promise.all([receiver(), receiver(), receiver(), receiver()]);
    const subscriptions = await Promise.all(
      rs.map((r) => insertSubscription(t, { environmentId: env.environmentId, url: r.url, actionTypes: ['USER.CREATED'] })),
    );
    await startInstances();
    const expected = await newUsers(60);
    for (const r of rs) await r.until((x) => firstOccurrences(userIds(x)).length >= expected.length, 30_000);
    for (const r of rs) expect(userIds(r)).toEqual(expected);
    const holders = await Promise.all(subscriptions.map((s) => leaseHolder(s.id)));
    const pids = new Set(instances.map((i) => String(i.pid)));
    expect(holders.every((owner) => owner !== null && pids.has(owner.split('-')[0]))).toBe(true);
  });

  it('a SIGKILL of the delivering instance mid-batch: the other takes over within seconds; nothing lost, nothing out of order, only duplicates with the same id', async () => {
    const r = await receiver();
    // Slow enough that the kill lands in the middle of a batch.
    r.answer(...Array.from({ length: 200 }, () => ({ kind: 'slow' as const, ms: 15 })));
    const subscription = await insertSubscription(t, { environmentId: env.environmentId, url: r.url, actionTypes: ['USER.CREATED'] });
    await startInstances();
    const expected = await newUsers(60);
    await r.until((x) => x.requests.length >= 15, 30_000);

    const owner = await leaseHolder(subscription.id);
    const victim = instances.find((i) => owner?.startsWith(`${i.pid}-`));
    expect(victim).toBeDefined();
    victim!.kill('SIGKILL');
    await victim!.exited;
    const killedAt = Date.now();
    // Everything received until the victim was gone came from it (the other instance waits for the lease to run out).
    const receivedBeforeKill = r.requests.map((q) => q.events[0]?.id as string);

    await r.until((x) => firstOccurrences(userIds(x)).length >= expected.length, 30_000);
    const afterKill = r.requests.filter((q) => q.at > killedAt);
    expect(afterKill.length).toBeGreaterThan(0);
    expect(afterKill[0].at - killedAt).toBeLessThan(5000);

    const ids = r.requests.map((q) => q.events[0]?.id as string);
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    // At most the event in flight at the kill arrives twice, and it is one the receiver had seen.
    expect(duplicates.length).toBeLessThanOrEqual(1);
    for (const id of duplicates) expect(receivedBeforeKill).toContain(id);
    expect(firstOccurrences(userIds(r))).toEqual(expected);
  });
});
