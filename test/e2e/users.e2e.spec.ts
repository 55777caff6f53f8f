import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OutboxRepository } from '../../src/events/outbox.repository.js';
import { MediaTypes } from '../../src/common/http/media-types.js';
import type { Api } from '../support/api.js';
import { createEnvironment, createUser, lockUser, startApp, type TestApp, type TestEnvironment, usersPath } from '../support/test-app.js';

describe('users API', () => {
  let t: TestApp;
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    env = await createEnvironment(t);
    api = t.as(env.token);
  });
  afterAll(async () => t.close());

  const eventTypes = async (userId: string) =>
    (await t.app.get(OutboxRepository).listForEnvironment(env.environmentId, userId)).map((e) => e.type);

  describe('create, read, replace, patch, delete', () => {
    it('creates a user in the default population and records USER.CREATED', async () => {
      const user = await createUser(t, env, {
        username: 'Carol@Example.com',
        email: 'carol@example.com',
        name: { given: 'Carol', family: 'Jones' },
        address: { locality: 'Oslo', countryCode: 'NO' },
        photo: { href: 'https://example.com/c.png' },
        mfaEnabled: true,
      });
      expect(user).toMatchObject({
        username: 'Carol@Example.com',
        population: { id: env.populationId },
        address: { locality: 'Oslo', countryCode: 'NO' },
        photo: { href: 'https://example.com/c.png' },
        mfaEnabled: true,
        account: { status: 'OK', canAuthenticate: true },
      });
      const read = await api.get(`${usersPath(env)}/${user.id}`).expect(200);
      expect(read.body).toEqual(user);
      expect(await eventTypes(user.id)).toEqual(['USER.CREATED']);
    });

    it('refuses a duplicate username, whatever its case, naming the existing user', async () => {
      const first = await createUser(t, env, { username: 'dave@example.com' });
      const response = await api.post(usersPath(env)).send({ username: 'DAVE@example.com' }).expect(400);
      expect(response.body).toMatchObject({
        code: 'INVALID_DATA',
        details: [{ code: 'UNIQUENESS_VIOLATION', target: 'username', innerError: { existingId: first.id } }],
      });
    });

    it('lets the unique index decide a race: 10 concurrent creates of one username make one user', async () => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => api.post(usersPath(env)).send({ username: 'race-create@example.com' })),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 400 && r.body.details[0].code === 'UNIQUENESS_VIOLATION')).toHaveLength(9);
      const list = await api.get(usersPath(env)).query({ filter: 'username eq "race-create@example.com"' }).expect(200);
      expect(list.body.count).toBe(1);
    });

    it('PUT replaces every writable attribute (omitted ones are cleared) and records USER.UPDATED', async () => {
      const user = await createUser(t, env, { username: 'erin@example.com', nickname: 'E', title: 'Dr' });
      const response = await api
        .put(`${usersPath(env)}/${user.id}`)
        .send({ username: 'erin2@example.com', title: 'Prof' })
        .expect(200);
      expect(response.body).toMatchObject({ username: 'erin2@example.com', title: 'Prof' });
      expect(response.body).not.toHaveProperty('nickname');
      expect(await eventTypes(user.id)).toEqual(['USER.CREATED', 'USER.UPDATED']);
    });

    it('PATCH changes only the attributes given', async () => {
      const user = await createUser(t, env, { username: 'frank@example.com', nickname: 'F', name: { given: 'Frank' } });
      const response = await api
        .patch(`${usersPath(env)}/${user.id}`)
        .send({ name: { family: 'Miller' } })
        .expect(200);
      expect(response.body).toMatchObject({ username: 'frank@example.com', nickname: 'F', name: { given: 'Frank', family: 'Miller' } });
      // An empty patch changes nothing and records nothing.
      await api
        .patch(`${usersPath(env)}/${user.id}`)
        .send({})
        .expect(200);
      expect(await eventTypes(user.id)).toEqual(['USER.CREATED', 'USER.UPDATED']);
    });

    it('PATCH with null clears an object attribute but cannot null a required one', async () => {
      const user = await createUser(t, env, {
        username: 'nulls@example.com',
        name: { given: 'N' },
        photo: { href: 'https://example.com/n.png' },
      });
      const cleared = await api
        .patch(`${usersPath(env)}/${user.id}`)
        .send({ name: null, photo: null, nickname: null })
        .expect(200);
      expect(cleared.body).not.toHaveProperty('name');
      expect(cleared.body).not.toHaveProperty('photo');
      for (const body of [{ username: null }, { mfaEnabled: null }]) {
        const response = await api
          .patch(`${usersPath(env)}/${user.id}`)
          .send(body)
          .expect(400);
        expect(response.body.code).toBe('INVALID_DATA');
      }
    });

    it('refuses to rename a user to a taken username and leaves both unchanged', async () => {
      const a = await createUser(t, env, { username: 'gina@example.com' });
      await createUser(t, env, { username: 'hank@example.com' });
      const response = await api
        .patch(`${usersPath(env)}/${a.id}`)
        .send({ username: 'HANK@example.com' })
        .expect(400);
      expect(response.body.details[0].code).toBe('UNIQUENESS_VIOLATION');
      const read = await api.get(`${usersPath(env)}/${a.id}`).expect(200);
      expect(read.body.username).toBe('gina@example.com');
      expect(await eventTypes(a.id)).toEqual(['USER.CREATED']);
    });

    it('deletes a user (204, USER.DELETED) and then answers 404', async () => {
      const user = await createUser(t, env, { username: 'ivan@example.com' });
      await api.delete(`${usersPath(env)}/${user.id}`).expect(204);
      await api.get(`${usersPath(env)}/${user.id}`).expect(404);
      await api.delete(`${usersPath(env)}/${user.id}`).expect(404);
      expect(await eventTypes(user.id)).toEqual(['USER.CREATED', 'USER.DELETED']);
    });

    it('enables and disables through /enabled, recording a change only when there is one', async () => {
      const user = await createUser(t, env, { username: 'judy@example.com' });
      const off = await api
        .put(`${usersPath(env)}/${user.id}/enabled`)
        .send({ enabled: false })
        .expect(200);
      expect(off.body).toMatchObject({ enabled: false, _links: { user: { href: user._links.self.href } } });
      await api
        .put(`${usersPath(env)}/${user.id}/enabled`)
        .send({ enabled: false })
        .expect(200);
      const read = await api.get(`${usersPath(env)}/${user.id}`).expect(200);
      expect(read.body).toMatchObject({ enabled: false, account: { canAuthenticate: false } });
      expect(await eventTypes(user.id)).toEqual(['USER.CREATED', 'USER.UPDATED']);
      const bad = await api
        .put(`${usersPath(env)}/${user.id}/enabled`)
        .send({ enabled: 'yes' })
        .expect(400);
      expect(bad.body.details[0]).toMatchObject({ code: 'INVALID_VALUE', target: 'enabled' });
    });
  });

  describe('validation', () => {
    it.each([
      ['a missing username', {}, 'REQUIRED_VALUE', 'username'],
      ['an empty username', { username: '' }, 'INVALID_VALUE', 'username'],
      ['a username over 128 characters', { username: 'x'.repeat(129) }, 'INVALID_VALUE', 'username'],
      ['a wrong type', { username: 'k@example.com', mfaEnabled: 'yes' }, 'INVALID_VALUE', 'mfaEnabled'],
      ['a bad email', { username: 'k@example.com', email: 'not-an-email' }, 'INVALID_VALUE', 'email'],
      ['a read-only attribute', { username: 'k@example.com', enabled: false }, 'INVALID_VALUE', 'enabled'],
      ['an unknown attribute', { username: 'k@example.com', shoeSize: 44 }, 'INVALID_VALUE', 'shoeSize'],
      ['an unknown nested attribute', { username: 'k@example.com', name: { nick: 'x' } }, 'INVALID_VALUE', 'name.nick'],
      [
        'a population of another environment',
        { username: 'k@example.com', population: { id: '8f0e1c52-0000-4000-8000-000000000001' } },
        'INVALID_VALUE',
        'population.id',
      ],
    ])('refuses %s with 400 INVALID_DATA and writes nothing', async (_, body, code, target) => {
      const response = await api.post(usersPath(env)).send(body).expect(400);
      expect(response.body).toMatchObject({ code: 'INVALID_DATA', message: expect.any(String), details: [{ code, target }] });
      expect(typeof response.body.id).toBe('string');
      const list = await api.get(usersPath(env)).query({ filter: 'username eq "k@example.com"' }).expect(200);
      expect(list.body.count).toBe(0);
    });

    it('reports the allowed range of a too-long username', async () => {
      const response = await api
        .post(usersPath(env))
        .send({ username: 'x'.repeat(129) })
        .expect(400);
      expect(response.body.details[0].innerError).toEqual({ rangeMinimumValue: 1, rangeMaximumValue: 128 });
    });

    it('refuses malformed JSON with 400 INVALID_REQUEST', async () => {
      const response = await api.post(usersPath(env)).set('Content-Type', MediaTypes.JSON).send('{"username":').expect(400);
      expect(response.body).toMatchObject({ code: 'INVALID_REQUEST', details: [{ target: 'body' }] });
    });

    it('refuses a JSON body that is not an object', async () => {
      await api.post(usersPath(env)).set('Content-Type', MediaTypes.JSON).send('[1,2]').expect(400);
    });
  });

  describe('list, filter and paging', () => {
    let listEnv: TestEnvironment;
    const names = (body: any) => body._embedded.users.map((u: any) => u.username).sort();
    const list = (filter?: string, extra: Record<string, string | number> = {}) =>
      t
        .as(listEnv.token)
        .get(usersPath(listEnv))
        .query({ ...(filter ? { filter } : {}), ...extra });

    beforeAll(async () => {
      listEnv = await createEnvironment(t);
      const people = [
        { username: 'anna', email: 'anna@corp.example', name: { given: 'Anna', family: 'Berg' } },
        { username: 'andrew', email: 'andrew@corp.example', name: { given: 'Andrew', family: 'Stone' } },
        { username: 'bob', email: 'bob@home.example', name: { given: 'Bob', family: 'Berg' } },
        { username: 'cecile', email: 'cecile@corp.example', name: { given: 'Cécile', family: 'Durand' } },
        { username: 'dmitri', email: 'dmitri@home.example', name: { given: 'Dmitri', family: 'Stone' } },
      ];
      for (const p of people) await createUser(t, listEnv, p);
      const bob = (await list('username eq "bob"').expect(200)).body._embedded.users[0];
      await lockUser(t, listEnv, bob.id);
      const dmitri = (await list('username eq "dmitri"').expect(200)).body._embedded.users[0];
      await t
        .as(listEnv.token)
        .put(`${usersPath(listEnv)}/${dmitri.id}/enabled`)
        .send({ enabled: false })
        .expect(200);
    });

    it.each([
      ['username eq "ANNA"', ['anna']],
      ['username sw "an"', ['andrew', 'anna']],
      ['email sw "ANDREW@"', ['andrew']],
      ['email eq "bob@home.example"', ['bob']],
      ['name.family eq "berg"', ['anna', 'bob']],
      ['name.given sw "C"', ['cecile']],
      ['enabled eq false', ['dmitri']],
      ['account.status eq "LOCKED"', ['bob']],
      ['account.status eq "OK" and name.family eq "Berg"', ['anna']],
      ['name.family eq "Stone" or username eq "bob"', ['andrew', 'bob', 'dmitri']],
      ['(name.family eq "Stone" or name.family eq "Berg") and email sw "a"', ['andrew', 'anna']],
      ['username eq "anna" or username eq "bob" and enabled eq false', ['anna']],
    ])('%s', async (filter, expected) => {
      const response = await list(filter).expect(200);
      expect(names(response.body)).toEqual(expected);
      expect(response.body.count).toBe(expected.length);
    });

    it('treats LIKE wildcards in sw as plain characters', async () => {
      expect((await list('username sw "%"').expect(200)).body.count).toBe(0);
      expect((await list('username sw "_"').expect(200)).body.count).toBe(0);
      expect((await list('email sw "%corp"').expect(200)).body.count).toBe(0);
    });

    it('treats LIKE wildcards in eq as plain characters, still without regard to case', async () => {
      expect((await list('email eq "%"').expect(200)).body.count).toBe(0);
      expect((await list('email eq "bob@home_example"').expect(200)).body.count).toBe(0);
      expect((await list('name.family eq "B_rg"').expect(200)).body.count).toBe(0);
      expect((await list('name.given eq "c%"').expect(200)).body.count).toBe(0);
      expect(names((await list('email eq "BOB@Home.Example"').expect(200)).body)).toEqual(['bob']);
      expect(names((await list('name.given eq "CÉCILE"').expect(200)).body)).toEqual(['cecile']);
    });

    it('filters on population.id', async () => {
      const response = await list(`population.id eq "${listEnv.populationId}"`).expect(200);
      expect(response.body.count).toBe(5);
    });

    it('refuses an unsupported attribute or operator with INVALID_FILTER and the supported lists', async () => {
      const response = await list('password eq "x"').expect(400);
      expect(response.body.details[0]).toMatchObject({
        code: 'INVALID_FILTER',
        target: 'filter',
        innerError: {
          supportedAttributes: expect.arrayContaining(['username', 'account.status']),
          supportedOperators: expect.arrayContaining(['eq', 'sw', 'and', 'or']),
        },
      });
      await list('enabled sw true').expect(400);
      await list('username eq "unterminated').expect(400);
      await list('username eq "a")').expect(400);
    });

    it('pages with limit and an opaque cursor in _links.next until every user is seen once', async () => {
      const seen: string[] = [];
      let response = await list(undefined, { limit: 2 }).expect(200);
      expect(response.body).toMatchObject({ count: 5, size: 2 });
      seen.push(...response.body._embedded.users.map((u: any) => u.username));
      while (response.body._links.next) {
        const next = new URL(response.body._links.next.href);
        expect(next.origin).toBe('http://localhost:3000');
        response = await t.as(listEnv.token).get(`${next.pathname}${next.search}`).expect(200);
        seen.push(...response.body._embedded.users.map((u: any) => u.username));
      }
      expect(seen.sort()).toEqual(['andrew', 'anna', 'bob', 'cecile', 'dmitri']);
      expect(response.body.size).toBe(1);
    });

    it('refuses a limit out of 1..1000 and a forged cursor', async () => {
      const zero = await list(undefined, { limit: 0 }).expect(400);
      expect(zero.body.details[0]).toMatchObject({ code: 'OUT_OF_RANGE', target: 'limit' });
      await list(undefined, { limit: 1001 }).expect(400);
      await list(undefined, { limit: 'ten' }).expect(400);
      await list(undefined, { cursor: 'not-a-cursor' }).expect(400);
    });

    it('never lists users of another environment', async () => {
      const response = await api.get(usersPath(env)).query({ filter: 'username eq "anna"' }).expect(200);
      expect(response.body.count).toBe(0);
    });
  });
});
