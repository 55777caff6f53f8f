import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { BASE_URL, createEnvironment, startApp, type TestApp, type TestEnvironment } from '../support/test-app.js';

describe('GET/PUT /v1/environments/{envID}/mfaSettings', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;
  let other: TestEnvironment;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
    other = await createEnvironment(t);
  });
  afterAll(async () => t.close());

  const path = (e: { environmentId: string }) => `/v1/environments/${e.environmentId}/mfaSettings`;
  const get = (e: TestEnvironment = env) => t.as(e.token).get(path(e));
  const put = (body: unknown, e: TestEnvironment = env, contentType: string = MediaTypes.JSON) =>
    t.as(e.token).put(path(e)).set('Content-Type', contentType).send(JSON.stringify(body));

  it('reads the defaults (5 failures, 600 seconds) before anything was saved, without updatedAt', async () => {
    const response = await get(other)
      .expect(200)
      .expect('content-type', /application\/json/);
    expect(response.body).toEqual({
      _links: {
        self: { href: `${BASE_URL}/v1/environments/${other.environmentId}/mfaSettings` },
        environment: { href: `${BASE_URL}/v1/environments/${other.environmentId}` },
      },
      environment: { id: other.environmentId },
      lockout: { failureCount: 5, durationSeconds: 600 },
    });
  });

  it('replaces the lockout, answers the new settings, and reads them back', async () => {
    const before = Date.now();
    const response = await put({ lockout: { failureCount: 7, durationSeconds: 90 } }).expect(200);
    expect(response.body).toMatchObject({ environment: { id: env.environmentId }, lockout: { failureCount: 7, durationSeconds: 90 } });
    expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(before - 1000);

    const read = await get().expect(200);
    expect(read.body).toEqual(response.body);

    // A second save updates the same row.
    const again = await put({ lockout: { failureCount: 1, durationSeconds: 86400 } }).expect(200);
    expect(again.body.lockout).toEqual({ failureCount: 1, durationSeconds: 86400 });
    expect((await get().expect(200)).body.lockout).toEqual({ failureCount: 1, durationSeconds: 86400 });
    // The other environment keeps its defaults.
    expect((await get(other).expect(200)).body.lockout).toEqual({ failureCount: 5, durationSeconds: 600 });
  });

  it.each([
    ['failureCount', 0, 1, 100],
    ['failureCount', 101, 1, 100],
    ['durationSeconds', 0, 1, 86400],
    ['durationSeconds', 86401, 1, 86400],
  ])('refuses lockout.%s = %d with OUT_OF_RANGE %d..%d', async (attribute, value, min, max) => {
    const lockout = { failureCount: 5, durationSeconds: 600, [attribute]: value };
    const response = await put({ lockout }).expect(400);
    expect(response.body).toMatchObject({
      code: 'INVALID_DATA',
      details: [{ code: 'OUT_OF_RANGE', target: `lockout.${attribute}`, innerError: { rangeMinimumValue: min, rangeMaximumValue: max } }],
    });
  });

  it('refuses bodies that are not a complete lockout, listing every problem, and changes nothing', async () => {
    await put({ lockout: { failureCount: 4, durationSeconds: 60 } }, other).expect(200);

    const missing = await put({}, other).expect(400);
    expect(missing.body.details).toEqual([expect.objectContaining({ code: 'REQUIRED_VALUE', target: 'lockout' })]);

    const partial = await put({ lockout: { failureCount: 'five', durationSeconds: 1.5 } }, other).expect(400);
    expect(partial.body.details.map((d: { target: string }) => d.target).sort()).toEqual([
      'lockout.durationSeconds',
      'lockout.failureCount',
    ]);

    const halfMissing = await put({ lockout: { failureCount: 3 } }, other).expect(400);
    expect(halfMissing.body.details).toEqual([expect.objectContaining({ code: 'REQUIRED_VALUE', target: 'lockout.durationSeconds' })]);

    const readOnly = await put(
      { environment: { id: other.environmentId }, lockout: { failureCount: 3, durationSeconds: 60 } },
      other,
    ).expect(400);
    expect(readOnly.body.details).toEqual([
      expect.objectContaining({ code: 'INVALID_VALUE', target: 'environment', message: 'environment is read-only.' }),
    ]);

    const unknown = await put({ lockout: { failureCount: 3, durationSeconds: 60, extra: 1 } }, other).expect(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ code: 'INVALID_VALUE', target: 'lockout.extra' })]);

    expect((await get(other).expect(200)).body.lockout).toEqual({ failureCount: 4, durationSeconds: 60 });
  });

  it('refuses other media types with 415, a body that is not JSON with 400', async () => {
    const wrongType = await put({ lockout: { failureCount: 3, durationSeconds: 60 } }, env, 'text/plain').expect(415);
    expect(wrongType.body.details[0].innerError.allowedValues).toEqual([MediaTypes.JSON]);
    const malformed = await api.put(path(env)).set('Content-Type', MediaTypes.JSON).send('{"lockout":').expect(400);
    expect(malformed.body.code).toBe('INVALID_REQUEST');
  });

  it('needs a token (401) of the same environment (403)', async () => {
    await t.http.get(path(env)).expect(401);
    const foreign = await t.as(other.token).get(path(env)).expect(403);
    expect(foreign.body.code).toBe('ACCESS_FAILED');
    await t
      .as(other.token)
      .put(path(env))
      .set('Content-Type', MediaTypes.JSON)
      .send(JSON.stringify({ lockout: { failureCount: 3, durationSeconds: 60 } }))
      .expect(403);
  });
});
