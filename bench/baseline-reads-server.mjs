/* global URLSearchParams */
/**
 * The baseline of the reads benchmark (bench/reads.mjs): raw `node:http` + `pg`, no framework, no
 * validation and NO AUTHENTICATION (it never verifies the bearer token the bench sends; the service
 * does). The style of bench/baseline-server.mjs, for the two reads that tools repeat most:
 *
 *   GET /v1/environments/{envId}/users/{userId}
 *   GET /v1/environments/{envId}/users?filter=...&limit=n
 *
 * It sends the SQL the service sends for the same request (captured from the Prisma client's query
 * log; see docs/benchmarks-reads.md and docs/user-filters.md), as named prepared statements as the
 * service does (src/database/database.ts), and for a list the page and its count as two statements
 * on two pooled connections at once, as `UsersRepository.list` does. It answers with the service's JSON
 * (the same HAL links, attributes and key order), which the bench checks byte for byte before it
 * measures.
 *
 * The filter is read by a small parser for the forms the bench sends (`attr eq|sw "value"`,
 * `attr eq true|false`, and one `and` of two of those); anything else is a 400.
 *
 * Env: DATABASE_URL (required), PORT (default 0 = any free port), HOST (default 127.0.0.1),
 * POOL_SIZE (default 10), BASE_URL (the links' base; default http://<Host header>). It prints
 * `{"port": n}` on stdout once listening.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 0);
const POOL_SIZE = Number(process.env.POOL_SIZE ?? 10);
const BASE_URL = process.env.BASE_URL ?? '';
const USER_ROUTE = /^\/v1\/environments\/([0-9a-fA-F-]{36})\/users\/([0-9a-fA-F-]{36})\/?$/;
const LIST_ROUTE = /^\/v1\/environments\/([0-9a-fA-F-]{36})\/users\/?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: POOL_SIZE });
pool.on('error', () => undefined);

// The columns Prisma selects for a user in `findFirst` (every column but the password hash; enums cast to text).
const COLUMNS = [
  'id',
  'environmentId',
  'populationId',
  'username',
  'usernameLower',
  'email',
  'emailVerified',
  'enabled',
  'mfaEnabled',
  'accountStatus"::text',
  'lockReason"::text',
  'lockedAt',
  'unlockAt',
  'passwordFailureCount',
  'mfaFailureCount',
  'passwordStatus"::text',
  'passwordChangedAt',
  'passwordLockedAt',
  'passwordUnlockAt',
  'lifecycleStatus"::text',
  'identityProviderType',
  'verifyStatus"::text',
  'nameGiven',
  'nameFamily',
  'nameMiddle',
  'nameFormatted',
  'nameHonorificPrefix',
  'nameHonorificSuffix',
  'nickname',
  'title',
  'type',
  'locale',
  'preferredLanguage',
  'timezone',
  'mobilePhone',
  'primaryPhone',
  'externalId',
  'photoHref',
  'address',
  'createdAt',
  'updatedAt',
]
  .map((c) => (c.endsWith('::text') ? `"public"."User"."${c}` : `"public"."User"."${c}"`))
  .join(', ');
const COL = (name) => `"public"."User"."${name}"`;
/** The list's own statement (raw SQL in `UsersRepository.list`): the same columns, unqualified. */
const LIST_COLUMNS = COLUMNS.replace(/"public"\."User"\./g, '').replace(/::text/g, '');

const BY_ID_SQL = `SELECT ${COLUMNS} FROM "public"."User" WHERE (${COL('id')} = $1 AND ${COL('environmentId')} = $2) LIMIT $3 OFFSET $4`;

/** Named prepared statements, one name per SQL text, as the service's adapter does. */
const names = new Map();
function named(text, values) {
  let name = names.get(text);
  if (!name) {
    name = `p${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return { name, text, values };
}

/** The condition `userFilterSql` writes for one comparison (attribute names lower-cased); values go to `params`. */
function condition({ attribute, operator, value }, params) {
  const bind = (v) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (typeof value === 'boolean') return attribute === 'enabled' ? `"enabled" = ${bind(value)}` : null;
  const text = { email: 'email', 'name.given': 'nameGiven', 'name.family': 'nameFamily', externalid: 'externalId' }[attribute];
  if (text)
    return operator === 'eq'
      ? `lower("${text}") = lower(${bind(value)})`
      : `lower("${text}") LIKE (lower(${bind(likeLiteral(value))}) || '%')`;
  if (attribute === 'username') {
    const lower = value.toLowerCase();
    return operator === 'eq'
      ? `"usernameLower" = ${bind(lower)}`
      : `lower("usernameLower") LIKE (lower(${bind(likeLiteral(lower))}) || '%')`;
  }
  if (attribute === 'population.id' && operator === 'eq')
    return UUID.test(value.toLowerCase()) ? `"populationId" = ${bind(value.toLowerCase())}::uuid` : null;
  if (attribute === 'account.status' && operator === 'eq') {
    const status = value.toUpperCase();
    if (status !== 'LOCKED' && status !== 'OK') return null;
    const holds = `("accountStatus" = 'LOCKED' AND ("unlockAt" IS NULL OR "unlockAt" > ${bind(new Date())}::timestamptz))`;
    return status === 'LOCKED' ? holds : `NOT ${holds}`;
  }
  return null;
}

function likeLiteral(value) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const COMPARE = /^\s*([A-Za-z.]+)\s+(eq|sw)\s+(?:"((?:[^"\\]|\\.)*)"|(true|false))\s*$/i;

/** The comparisons of `a` or `a and b`; null for anything else. */
function parseFilter(text) {
  const parts = text.split(/\s+and\s+/i);
  if (parts.length > 2) return null;
  const compares = [];
  for (const part of parts) {
    const m = COMPARE.exec(part);
    if (!m) return null;
    const value = m[4] !== undefined ? m[4].toLowerCase() === 'true' : m[3].replace(/\\(.)/g, '$1');
    compares.push({ attribute: m[1].toLowerCase(), operator: m[2].toLowerCase(), value });
  }
  return compares;
}

/** The page and its count, as `UsersRepository.list` sends them: both at once on two connections. */
async function list(envId, compares, limit) {
  const params = [envId];
  const conditions = [];
  for (const c of compares) {
    const sql = condition(c, params);
    if (sql === null) return null;
    conditions.push(sql);
  }
  const filter = conditions.length > 1 ? `(${conditions.join(' AND ')})` : conditions[0];
  const where = `"environmentId" = $1::uuid${filter ? ` AND ${filter}` : ''}`;
  const page = `SELECT ${LIST_COLUMNS} FROM "User" WHERE ${where} ORDER BY "id" LIMIT $${params.length + 1}`;
  const count = `SELECT count(*)::int AS "total" FROM "User" WHERE ${where}`;
  const [rows, counted] = await Promise.all([pool.query(named(page, [...params, limit + 1])), pool.query(named(count, params))]);
  return { rows: rows.rows.slice(0, limit), hasMore: rows.rows.length > limit, total: counted.rows[0].total };
}

/** The service's HAL user body (`toUserResource`): links, then attributes, absent ones left out. */
function toResource(row, baseUrl, now) {
  const env = `${baseUrl}/v1/environments/${row.environmentId}`;
  const self = `${env}/users/${row.id}`;
  const password = `${self}/password`;
  const locked = row.accountStatus === 'LOCKED' && (row.unlockAt === null || row.unlockAt.getTime() > now.getTime());
  const name = compact({
    given: row.nameGiven,
    family: row.nameFamily,
    middle: row.nameMiddle,
    formatted: row.nameFormatted,
    honorificPrefix: row.nameHonorificPrefix,
    honorificSuffix: row.nameHonorificSuffix,
  });
  return compact({
    _links: {
      self: { href: self },
      environment: { href: env },
      population: { href: `${env}/populations/${row.populationId}` },
      devices: { href: `${self}/devices` },
      roleAssignments: { href: `${self}/roleAssignments` },
      password: { href: password },
      'password.reset': { href: password },
      'password.set': { href: password },
      'password.check': { href: password },
      'password.recover': { href: password },
      linkedAccounts: { href: `${self}/linkedAccounts` },
      'account.sendVerificationCode': { href: self },
      memberOfGroups: { href: `${self}/memberOfGroups` },
    },
    id: row.id,
    environment: { id: row.environmentId },
    population: { id: row.populationId },
    account: compact({
      canAuthenticate: row.enabled && !locked,
      status: locked ? 'LOCKED' : 'OK',
      lockedAt: locked ? row.lockedAt?.toISOString() : undefined,
      unlockAt: locked ? row.unlockAt?.toISOString() : undefined,
      secondsUntilUnlock: locked && row.unlockAt ? Math.ceil((row.unlockAt.getTime() - now.getTime()) / 1000) : undefined,
    }),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    username: row.username,
    email: row.email,
    emailVerified: row.emailVerified,
    enabled: row.enabled,
    mfaEnabled: row.mfaEnabled,
    identityProvider: { type: row.identityProviderType },
    lifecycle: { status: row.lifecycleStatus },
    verifyStatus: row.verifyStatus,
    name: Object.keys(name).length > 0 ? name : undefined,
    nickname: row.nickname,
    title: row.title,
    type: row.type,
    locale: row.locale,
    preferredLanguage: row.preferredLanguage,
    timezone: row.timezone,
    mobilePhone: row.mobilePhone,
    primaryPhone: row.primaryPhone,
    externalId: row.externalId,
    photo: row.photoHref ? { href: row.photoHref } : undefined,
    address: row.address ?? undefined,
  });
}

function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined));
}

/** The service's list body (`UserPresenter.page`). */
function toPage(envId, result, query, baseUrl) {
  const now = new Date();
  const collection = `${baseUrl}/v1/environments/${envId}/users`;
  const href = (cursor) => {
    const params = new URLSearchParams();
    if (query.filter) params.set('filter', query.filter);
    if (query.limit) params.set('limit', String(query.limit));
    if (cursor) params.set('cursor', cursor);
    const search = params.toString();
    return search ? `${collection}?${search}` : collection;
  };
  const last = result.rows.at(-1);
  return {
    _links: {
      self: { href: href() },
      ...(result.hasMore && last ? { next: { href: href(Buffer.from(JSON.stringify({ after: last.id })).toString('base64url')) } } : {}),
    },
    _embedded: { users: result.rows.map((row) => toResource(row, baseUrl, now)) },
    count: result.total,
    size: result.rows.length,
  };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'correlation-id': res.correlationId,
  });
  res.end(text);
}

const failed = (res) => (error) => {
  console.error(error);
  send(res, 500, { code: 'UNEXPECTED_ERROR' });
};

const server = http.createServer((req, res) => {
  res.correlationId = randomUUID();
  const baseUrl = BASE_URL || `http://${req.headers.host ?? 'localhost'}`;
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method !== 'GET') return send(res, 404, { code: 'NOT_FOUND' });
  const one = USER_ROUTE.exec(url.pathname);
  if (one) {
    const [envId, userId] = [one[1].toLowerCase(), one[2].toLowerCase()];
    pool
      .query(named(BY_ID_SQL, [userId, envId, 1, 0]))
      .then(
        ({ rows }) => (rows[0] ? send(res, 200, toResource(rows[0], baseUrl, new Date())) : send(res, 404, { code: 'NOT_FOUND' })),
        failed(res),
      );
    return;
  }
  const many = LIST_ROUTE.exec(url.pathname);
  if (!many) return send(res, 404, { code: 'NOT_FOUND' });
  const filter = url.searchParams.get('filter') ?? undefined;
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? 100 : Number(limitText);
  const compares = filter === undefined ? [] : parseFilter(filter);
  if (!compares || !Number.isInteger(limit) || limit < 1 || limit > 1000) return send(res, 400, { code: 'INVALID_DATA' });
  const envId = many[1].toLowerCase();
  list(envId, compares, limit).then((result) => {
    if (!result) return send(res, 400, { code: 'INVALID_DATA' });
    send(res, 200, toPage(envId, result, { filter, limit: limitText === null ? undefined : limit }, baseUrl));
  }, failed(res));
});
server.keepAliveTimeout = 65_000;

server.listen(PORT, HOST, () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : PORT })}\n`);
});

function shutdown() {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
