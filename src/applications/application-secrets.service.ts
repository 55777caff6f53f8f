import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Access } from '../common/authorization/access.js';
import { RoleAssignmentsService } from '../access/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SecretBox, UndecryptableSecret } from '../crypto/secret-box.js';
import type { RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/transaction-host.js';
import { ApplicationEvents } from './application-events.js';
import type { ApplicationSecrets, EncryptedSecrets } from './application.js';
import { ApplicationNotFound, PreviousExpiryOutOfRange, SecretNotReadable } from './applications.errors.js';
import { ApplicationsRepository } from './applications.repository.js';
import { generateClientSecret, sealClientSecret } from './client-secrets.js';
import { applicationSecretPurpose } from '../crypto/purposes.js';

const MINUTE_MS = 60_000;
const MAX_PREVIOUS_LIFETIME_MS = 30 * 24 * 60 * MINUTE_MS;

/**
 * Reading an application's secret back, and rotating it. Whoever holds a secret acts as its
 * application, so only a caller who already holds every role of the application over its whole
 * scope may read or rotate it: otherwise reading a secret would be a way to gain roles.
 */
@Injectable()
export class ApplicationSecretsService {
  private readonly logger = new Logger(ApplicationSecretsService.name);

  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly roleAssignments: RoleAssignmentsService,
    private readonly box: SecretBox,
    private readonly transactions: TransactionHost,
    private readonly events: ApplicationEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `readBy` names the caller in the log: reading a secret changes nothing, but is worth an audit line. */
  async read(environmentId: string, appId: string, caller: Access, readBy?: string): Promise<ApplicationSecrets> {
    const id = appId;
    await this.requireCovered(environmentId, id, caller);
    this.logger.log(`secret of application ${id} read by client ${readBy ?? 'unknown'}`);
    const stored = (await this.applications.findEncryptedSecrets(environmentId, id)) ?? notFound();
    if (stored.current === null) throw new SecretNotReadable();
    return this.reveal(environmentId, id, await this.decrypt(id, stored.current), stored, new Date());
  }

  /**
   * A new random secret; the current one becomes the previous, still accepted until
   * `previousExpiresAt` (ISO time) or for the configured grace period (0: not at all).
   */
  async rotate(
    environmentId: string,
    appId: string,
    previousExpiresAt: string | undefined,
    caller: Access,
    context: RequestContext,
  ): Promise<ApplicationSecrets> {
    const id = appId;
    const now = new Date();
    await this.requireCovered(environmentId, id, caller);
    const keepUntil = this.previousExpiry(previousExpiresAt, now);
    const secret = generateClientSecret();
    const sealed = await sealClientSecret(this.box, id, secret);
    const stored = await this.transactions.run(async () => {
      const rotated = (await this.applications.rotateSecret(environmentId, id, sealed, keepUntil, now)) ?? notFound();
      const application = (await this.applications.findById(environmentId, id)) ?? notFound();
      const previous = keepUntil ? `the previous one works until ${keepUntil.toISOString()}` : 'the previous one no longer works';
      await this.events.record('APPLICATION.UPDATED', application, context, `Secret rotated; ${previous}`);
      return rotated;
    });
    return this.reveal(environmentId, id, secret, stored, now);
  }

  private requireCovered(environmentId: string, id: string, caller: Access): Promise<void> {
    return this.roleAssignments.requireCovered(environmentId, { type: 'APPLICATION', id }, caller);
  }

  private previousExpiry(requested: string | undefined, now: Date): Date | null {
    if (requested === undefined) {
      const grace = this.config.clientSecretGraceSeconds;
      return grace > 0 ? new Date(now.getTime() + grace * 1000) : null;
    }
    const at = new Date(requested);
    const min = new Date(now.getTime() + MINUTE_MS);
    const max = new Date(now.getTime() + MAX_PREVIOUS_LIFETIME_MS);
    if (!(at >= min && at <= max)) throw new PreviousExpiryOutOfRange(min, max);
    return at;
  }

  /**
   * The previous secret is listed while it still authenticates. One kept without a ciphertext (moved
   * from an application created before secrets were encrypted) authenticates but cannot be shown.
   */
  private async reveal(
    environmentId: string,
    id: string,
    secret: string,
    stored: EncryptedSecrets,
    now: Date,
  ): Promise<ApplicationSecrets> {
    const revealed: ApplicationSecrets = { environmentId, applicationId: id, secret };
    const previous = stored.previous;
    if (previous?.ciphertext && previous.expiresAt > now) {
      revealed.previous = {
        secret: await this.decrypt(id, previous.ciphertext),
        expiresAt: previous.expiresAt,
        lastUsedAt: previous.lastUsedAt,
      };
    }
    return revealed;
  }

  private async decrypt(id: string, ciphertext: string): Promise<string> {
    try {
      return await this.box.decrypt(ciphertext, applicationSecretPurpose(id));
    } catch (error) {
      if (error instanceof UndecryptableSecret) throw new SecretNotReadable();
      throw error;
    }
  }
}

function notFound(): never {
  throw new ApplicationNotFound();
}
