import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host.js';
import type { Application, ApplicationFields, EncryptedSecrets } from './application.js';
import type { StoredSecret } from './client-secrets.js';

export interface ApplicationCredentials {
  id: string;
  name: string;
  environmentId: string;
  enabled: boolean;
  clientSecretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
}

/** Ordinary reads select these and nothing else, so no secret, hash or ciphertext leaves by accident. */
const PUBLIC_COLUMNS = {
  id: true,
  environmentId: true,
  name: true,
  description: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
} as const;

interface SecretColumns {
  clientSecretCiphertext: string | null;
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
  previousSecretLastUsedAt: Date | null;
}

/** Every read and write of applications. A secret's hash or ciphertext is read only by a method named for it. */
@Injectable()
export class ApplicationsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async create(environmentId: string, id: string, fields: ApplicationFields, secret: StoredSecret): Promise<Application> {
    return this.txHost.tx.application.create({
      data: { id, environmentId, ...fields, clientSecretHash: secret.hash, clientSecretCiphertext: secret.ciphertext },
      select: PUBLIC_COLUMNS,
    });
  }

  async list(environmentId: string): Promise<Application[]> {
    return this.txHost.tx.application.findMany({
      where: { environmentId },
      select: PUBLIC_COLUMNS,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  async findById(environmentId: string, id: string): Promise<Application | null> {
    return this.txHost.tx.application.findFirst({ where: { id, environmentId }, select: PUBLIC_COLUMNS });
  }

  /** Null when the environment has no such application. */
  async update(environmentId: string, id: string, fields: ApplicationFields): Promise<Application | null> {
    const [row] = await this.txHost.tx.application.updateManyAndReturn({
      where: { id, environmentId },
      data: fields,
      select: PUBLIC_COLUMNS,
    });
    return row ?? null;
  }

  /** False when the environment has no such application (or a racing delete won). */
  async delete(environmentId: string, id: string): Promise<boolean> {
    return (await this.txHost.tx.application.deleteMany({ where: { id, environmentId } })).count === 1;
  }

  /** The encrypted current and previous secrets, for an administrator to read back. */
  async findEncryptedSecrets(environmentId: string, id: string): Promise<EncryptedSecrets | null> {
    const row = await this.txHost.tx.application.findFirst({
      where: { id, environmentId },
      select: {
        clientSecretCiphertext: true,
        previousSecretCiphertext: true,
        previousSecretExpiresAt: true,
        previousSecretLastUsedAt: true,
      },
    });
    return row ? toEncryptedSecrets(row) : null;
  }

  /**
   * Makes `next` the current secret and, when `previousExpiresAt` is given, the current one the
   * previous until then. One UPDATE whose SET reads the row it replaces: concurrent rotations queue
   * on the row lock and each moves the secret the one before it wrote, so none is lost.
   */
  async rotateSecret(
    environmentId: string,
    id: string,
    next: StoredSecret,
    previousExpiresAt: Date | null,
    now: Date,
  ): Promise<EncryptedSecrets | null> {
    const keep = previousExpiresAt !== null;
    const rows = await this.txHost.tx.$queryRaw<SecretColumns[]>`
      UPDATE "Application" SET
        "previousSecretHash" = CASE WHEN ${keep}::boolean THEN "clientSecretHash" END,
        "previousSecretCiphertext" = CASE WHEN ${keep}::boolean THEN "clientSecretCiphertext" END,
        "previousSecretExpiresAt" = ${previousExpiresAt}::timestamptz,
        "previousSecretLastUsedAt" = NULL,
        "clientSecretHash" = ${next.hash},
        "clientSecretCiphertext" = ${next.ciphertext},
        "updatedAt" = ${now}::timestamptz
      WHERE "id" = ${id}::uuid AND "environmentId" = ${environmentId}::uuid
      RETURNING "clientSecretCiphertext", "previousSecretCiphertext", "previousSecretExpiresAt", "previousSecretLastUsedAt"`;
    return rows[0] ? toEncryptedSecrets(rows[0]) : null;
  }

  /** The one read of the secrets' hashes: used only to authenticate a client. */
  async findCredentials(environmentId: string, id: string): Promise<ApplicationCredentials | null> {
    return this.txHost.tx.application.findFirst({
      where: { id, environmentId },
      select: {
        id: true,
        name: true,
        environmentId: true,
        enabled: true,
        clientSecretHash: true,
        previousSecretHash: true,
        previousSecretExpiresAt: true,
      },
    });
  }

  /**
   * Only while that secret is still the previous one and unexpired: a rotation meanwhile wins. Raw
   * SQL because Prisma would also move `updatedAt`, and a sign-in does not change the application.
   */
  async markPreviousSecretUsed(id: string, previousSecretHash: string, now: Date): Promise<void> {
    await this.txHost.tx.$executeRaw`
      UPDATE "Application" SET "previousSecretLastUsedAt" = ${now}::timestamptz
      WHERE "id" = ${id}::uuid AND "previousSecretHash" = ${previousSecretHash} AND "previousSecretExpiresAt" > ${now}::timestamptz`;
  }
}

function toEncryptedSecrets(row: SecretColumns): EncryptedSecrets {
  return {
    current: row.clientSecretCiphertext,
    previous: row.previousSecretExpiresAt
      ? { ciphertext: row.previousSecretCiphertext, expiresAt: row.previousSecretExpiresAt, lastUsedAt: row.previousSecretLastUsedAt }
      : null,
  };
}
