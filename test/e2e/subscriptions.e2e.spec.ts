import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { BASE_URL, createEnvironment, createPopulation, startApp, type TestApp, type TestEnvironment } from '../support/test-app.js';

/** A public address, so that the target rules accept it without any name lookup. */
const PUBLIC_TARGET = 'https://93.184.216.34/identity-events';

describe('subscriptions (PingOne webhooks): the API', () => {
  let t: TestApp;
  let env: TestEnvironment;
  const path = () => `/v1/environments/${env.environmentId}/subscriptions`;
  const body = (overrides: Record<string, unknown> = {}) => ({
    name: 'SIEM',
    enabled: true,
    format: 'ACTIVITY',
    filterOptions: { includedActionTypes: ['USER.UNLOCKED', 'USER.LOCKED'] },
    httpEndpoint: { url: PUBLIC_TARGET, headers: { Authorization: 'Basic c2llbTpzM2NyM3Q=' } },
    verifyTlsCertificates: true,
    ...overrides,
  });
  const create = (payload: unknown, e: TestEnvironment = env) =>
    t.http
      .post(`/v1/environments/${e.environmentId}/subscriptions`)
      .set('Authorization', `Bearer ${e.token}`)
      .set('Content-Type', MediaTypes.JSON)
      .send(JSON.stringify(payload));
  const read = (id: string) => t.http.get(`${path()}/${id}`).set('Authorization', `Bearer ${env.token}`);

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
  });
  afterAll(async () => t.close());

  it('creates a subscription in PingOne’s shape, shows its signing secret once, and keeps the headers encrypted at rest', async () => {
    const created = await create(body()).expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toMatchObject({
      environment: { id: env.environmentId },
      name: 'SIEM',
      enabled: true,
      format: 'ACTIVITY',
      filterOptions: { includedActionTypes: ['USER.UNLOCKED', 'USER.LOCKED'], includedPopulations: [], includedApplications: [] },
      httpEndpoint: { url: PUBLIC_TARGET, headers: { Authorization: 'Basic c2llbTpzM2NyM3Q=' } },
      verifyTlsCertificates: true,
    });
    expect(created.body._links.self.href).toBe(`${BASE_URL}${path()}/${created.body.id}`);
    expect(created.body.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const again = await read(created.body.id).expect(200);
    expect(again.body.signingSecret).toBeUndefined();
    expect(again.body.httpEndpoint.headers).toEqual({ Authorization: 'Basic c2llbTpzM2NyM3Q=' });

    const stored = await t.app.get(TransactionHost).tx.subscription.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(stored)).not.toContain('c2llbTpzM2NyM3Q');
    expect(JSON.stringify(stored)).not.toContain(created.body.signingSecret.slice(6));

    const events = await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, created.body.id);
    expect(events.map((e) => e.type)).toEqual(['SUBSCRIPTION.CREATED']);
    expect(events[0]?.payload.resources[0]).toMatchObject({ type: 'SUBSCRIPTION', id: created.body.id, name: 'SIEM' });
    expect(JSON.stringify(events.map((e) => e.payload))).not.toMatch(/c2llbTpzM2NyM3Q|whsec_/);
  });

  it('refuses what PingOne refuses, and targets the service must never call', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['no action type', body({ filterOptions: { includedActionTypes: [] } }), 'filterOptions.includedActionTypes'],
      ['an unknown action type', body({ filterOptions: { includedActionTypes: ['USER.EXPLODED'] } }), 'filterOptions.includedActionTypes'],
      ['another format', body({ format: 'SPLUNK' }), 'format'],
      ['no name', body({ name: undefined }), 'name'],
      ['plain http', body({ httpEndpoint: { url: 'http://93.184.216.34/x' } }), 'httpEndpoint.url'],
      ['loopback', body({ httpEndpoint: { url: 'https://127.0.0.1/x' } }), 'httpEndpoint.url'],
      ['localhost', body({ httpEndpoint: { url: 'https://localhost/x' } }), 'httpEndpoint.url'],
      ['a private address', body({ httpEndpoint: { url: 'https://10.1.2.3/x' } }), 'httpEndpoint.url'],
      ['cloud metadata', body({ httpEndpoint: { url: 'https://169.254.169.254/latest' } }), 'httpEndpoint.url'],
      ['IPv6 loopback', body({ httpEndpoint: { url: 'https://[::1]/x' } }), 'httpEndpoint.url'],
      ['credentials in the URL', body({ httpEndpoint: { url: 'https://a:b@93.184.216.34/x' } }), 'httpEndpoint.url'],
      [
        'a header the service sets',
        body({ httpEndpoint: { url: PUBLIC_TARGET, headers: { 'Content-Type': 'text/plain' } } }),
        'httpEndpoint.headers',
      ],
      [
        'an unknown population',
        body({
          filterOptions: { includedActionTypes: ['USER.LOCKED'], includedPopulations: [{ id: '00000000-0000-4000-8000-000000000000' }] },
        }),
        'filterOptions.includedPopulations',
      ],
      [
        'tags',
        body({ filterOptions: { includedActionTypes: ['USER.LOCKED'], includedTags: ['adminIdentityEvent'] } }),
        'filterOptions.includedTags',
      ],
      ['a read-only attribute', body({ id: '00000000-0000-4000-8000-000000000000' }), 'id'],
    ];
    for (const [name, payload, target] of cases) {
      const response = await create(payload);
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect({ name, targets: response.body.details.map((d: any) => d.target) }).toEqual({
        name,
        targets: expect.arrayContaining([target]),
      });
    }
  });

  it('lists, reads, replaces and deletes, recording each change', async () => {
    const population = await createPopulation(t, env, 'Webhooks');
    const { body: created } = await create(body({ name: 'to change' })).expect(201);
    const list = await t.http.get(path()).set('Authorization', `Bearer ${env.token}`).expect(200);
    expect(list.body._embedded.subscriptions.map((s: any) => s.id)).toContain(created.id);
    expect(list.body.count).toBe(list.body._embedded.subscriptions.length);

    const replaced = await t.http
      .put(`${path()}/${created.id}`)
      .set('Authorization', `Bearer ${env.token}`)
      .set('Content-Type', MediaTypes.JSON)
      .send(
        JSON.stringify(
          body({
            name: 'changed',
            enabled: false,
            filterOptions: { includedActionTypes: ['USER.CREATED'], includedPopulations: [{ id: population }], userAgentExposed: true },
            httpEndpoint: { url: PUBLIC_TARGET },
          }),
        ),
      )
      .expect(200);
    expect(replaced.body).toMatchObject({
      name: 'changed',
      enabled: false,
      filterOptions: { includedActionTypes: ['USER.CREATED'], includedPopulations: [{ id: population }], userAgentExposed: true },
      httpEndpoint: { url: PUBLIC_TARGET, headers: {} },
    });

    await t.http.delete(`${path()}/${created.id}`).set('Authorization', `Bearer ${env.token}`).expect(204);
    await read(created.id).expect(404);
    await t.http.delete(`${path()}/${created.id}`).set('Authorization', `Bearer ${env.token}`).expect(404);
    const events = await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, created.id);
    expect(events.map((e) => e.type)).toEqual(['SUBSCRIPTION.CREATED', 'SUBSCRIPTION.UPDATED', 'SUBSCRIPTION.DELETED']);
  });

  it('rotates the signing secret, shown once, with an overlap for the previous one', async () => {
    const { body: created } = await create(body()).expect(201);
    const rotated = await t.http
      .post(`${path()}/${created.id}/signingSecret`)
      .set('Authorization', `Bearer ${env.token}`)
      .set('Content-Type', MediaTypes.JSON)
      .send('{}')
      .expect(200);
    expect(rotated.body.signingSecret).toMatch(/^whsec_/);
    expect(rotated.body.signingSecret).not.toBe(created.signingSecret);
    expect(Date.parse(rotated.body.previous.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const stored = await t.app.get(TransactionHost).tx.subscription.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.previousSigningSecretCiphertext).not.toBeNull();
    await t.http
      .post(`${path()}/${created.id}/signingSecret`)
      .set('Authorization', `Bearer ${env.token}`)
      .set('Content-Type', MediaTypes.JSON)
      .send(JSON.stringify({ previousExpiresAt: '2001-01-01T00:00:00Z' }))
      .expect(400);
  });

  it('shows the delivery status', async () => {
    const { body: created } = await create(body()).expect(201);
    const status = await t.http.get(`${path()}/${created.id}/deliveryStatus`).set('Authorization', `Bearer ${env.token}`).expect(200);
    expect(status.body).toMatchObject({
      enabled: true,
      backlog: { count: 0, atLeast: false },
      failedAttempts: 0,
      lastError: null,
      nextAttemptAt: null,
    });
  });

  it('allows at most 50 subscriptions per environment, however many are created at once (403 for the rest)', async () => {
    const crowded = await createEnvironment(t);
    const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => create(body({ name: `hook ${i}` }), crowded)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 403)).toHaveLength(10);
    const refused = responses.find((r) => r.status === 403);
    expect(refused?.body).toMatchObject({ code: 'ACCESS_FAILED', details: [{ code: 'LICENSE_EXCEEDED', innerError: { quotaLimit: 50 } }] });
    expect(await t.app.get(TransactionHost).tx.subscription.count({ where: { environmentId: crowded.environmentId } })).toBe(50);
  });
});
