/* global fetch */
/**
 * The baseline of the unlock benchmark: raw `node:http` + `pg`, no framework, no validation and
 * NO AUTHENTICATION (it never verifies the bearer token the bench sends; the service does).
 *
 * It serves `POST /v1/environments/{envId}/users/{userId}` with the unlock Content-Type and runs
 * the same SQL as the service, in one transaction on a pool of the service's default size (10):
 * BEGIN; UPDATE "User" ... WHERE id AND "environmentId" AND "accountStatus"='LOCKED' (and not a timed
 * lock already expired) RETURNING *;
 * then INSERT INTO "OutboxEvent" (an activity JSON of the service's shape) when a row came back,
 * else SELECT * FROM "User" WHERE id AND "environmentId"; COMMIT. It answers 200 with a HAL user
 * body of the service's shape and size.
 *
 * Env: DATABASE_URL (required), PORT (default 0 = any free port), HOST (default 127.0.0.1),
 * POOL_SIZE (default 10). It prints `{"port": n}` on stdout once listening.
 *
 * Experiment only: with VERIFY_JWT=1 it also verifies the bearer token as the service does (jose
 * `jwtVerify`, ES256, issuer `${ISSUER_BASE}/{envId}/as`, audience ISSUER_BASE, keys fetched once
 * from JWKS_URL) and answers 401 when it fails. The default baseline verifies nothing.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createLocalJWKSet, jwtVerify } from 'jose';
import pg from 'pg';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 0);
const POOL_SIZE = Number(process.env.POOL_SIZE ?? 10);
const UNLOCK = 'application/vnd.pingidentity.account.unlock+json';
const ROUTE = /^\/v1\/environments\/([0-9a-fA-F-]{36})\/users\/([0-9a-fA-F-]{36})\/?$/;

const VERIFY_JWT = process.env.VERIFY_JWT === '1';
const ISSUER_BASE = process.env.ISSUER_BASE ?? '';
let getKey;
if (VERIFY_JWT) {
  const res = await fetch(process.env.JWKS_URL ?? '');
  getKey = createLocalJWKSet(await res.json());
}

/** Null when verification is off; throws when the token does not verify. */
async function verify(header, envId) {
  if (!VERIFY_JWT) return null;
  const token = /^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  const { payload } = await jwtVerify(token, getKey, {
    algorithms: ['ES256'],
    issuer: `${ISSUER_BASE}/${envId}/as`,
    audience: ISSUER_BASE,
    requiredClaims: ['exp', 'iat', 'sub', 'client_id'],
  });
  return payload;
}

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: POOL_SIZE });
pool.on('error', () => undefined);

// As `UsersRepository.unlockIfLocked`: a timed lock already past its unlockAt is left to the expiry.
const UNLOCK_SQL = `UPDATE "User" SET "accountStatus" = 'OK', "lockReason" = NULL, "lockedAt" = NULL, "unlockAt" = NULL,
  "passwordLockedAt" = NULL, "passwordUnlockAt" = NULL, "passwordFailureCount" = 0, "mfaFailureCount" = 0, "updatedAt" = now()
  WHERE id = $1 AND "environmentId" = $2 AND "accountStatus" = 'LOCKED' AND ("unlockAt" IS NULL OR "unlockAt" > now())
  RETURNING *`;
const OUTBOX_SQL = `INSERT INTO "OutboxEvent" (id, "environmentId", type, payload, "createdAt") VALUES ($1, $2, $3, $4, $5)`;
const SELECT_SQL = `SELECT * FROM "User" WHERE id = $1 AND "environmentId" = $2`;

/** The same three statements as the service, in one transaction on one pooled connection. */
async function unlock(envId, userId, correlationId, baseUrl) {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    let row;
    const updated = await client.query(UNLOCK_SQL, [userId, envId]);
    if (updated.rows.length > 0) {
      row = updated.rows[0];
      const activity = toActivity(row, correlationId, baseUrl);
      await client.query(OUTBOX_SQL, [activity.id, envId, 'USER.UNLOCKED', JSON.stringify(activity), new Date(activity.createdAt)]);
    } else {
      row = (await client.query(SELECT_SQL, [userId, envId])).rows[0];
    }
    await client.query('COMMIT');
    return row;
  } catch (error) {
    broken = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(broken);
  }
}

function toActivity(row, correlationId, baseUrl) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    recordedAt: now,
    createdAt: now,
    correlationId,
    action: { type: 'USER.UNLOCKED', description: 'User Unlocked' },
    actors: { client: { id: '00000000-0000-0000-0000-000000000000', name: 'baseline', type: 'CLIENT' } },
    resources: [
      {
        id: row.id,
        name: row.username,
        type: 'USER',
        href: `${baseUrl}/v1/environments/${row.environmentId}/users/${row.id}`,
        environment: { id: row.environmentId },
        population: { id: row.populationId },
      },
    ],
    result: { status: 'SUCCESS', description: 'Account unlocked by an administrator' },
  };
}

/** The service's HAL user body (same links and attributes), built by hand. */
function toResource(row, baseUrl) {
  const env = `${baseUrl}/v1/environments/${row.environmentId}`;
  const self = `${env}/users/${row.id}`;
  const password = `${self}/password`;
  const locked = row.accountStatus === 'LOCKED';
  const body = {
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
    account: { canAuthenticate: row.enabled && !locked, status: row.accountStatus },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    username: row.username,
    email: row.email ?? undefined,
    emailVerified: row.emailVerified,
    enabled: row.enabled,
    mfaEnabled: row.mfaEnabled,
    identityProvider: { type: row.identityProviderType },
    lifecycle: { status: row.lifecycleStatus },
    verifyStatus: row.verifyStatus,
  };
  if (locked && row.lockedAt) body.account.lockedAt = row.lockedAt.toISOString();
  return body;
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

const server = http.createServer((req, res) => {
  res.correlationId = randomUUID();
  const match = req.method === 'POST' ? ROUTE.exec(req.url ?? '') : null;
  if (!match) return send(res, 404, { code: 'NOT_FOUND' });
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== UNLOCK) return send(res, 415, { code: 'UNSUPPORTED_MEDIA_TYPE' });
  const baseUrl = `http://${req.headers.host ?? 'localhost'}`;
  // Drain the (empty) body before answering, as a framework would.
  req.resume();
  req.on('end', () => {
    const envId = match[1].toLowerCase();
    verify(req.headers.authorization, envId).then(
      () =>
        unlock(envId, match[2].toLowerCase(), res.correlationId, baseUrl).then(
          (row) => (row ? send(res, 200, toResource(row, baseUrl)) : send(res, 404, { code: 'NOT_FOUND' })),
          (error) => {
            console.error(error);
            send(res, 500, { code: 'UNEXPECTED_ERROR' });
          },
        ),
      () => send(res, 401, { code: 'INVALID_TOKEN' }),
    );
  });
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
  // Do not hang on a stuck client.
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
