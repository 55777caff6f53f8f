import { Injectable, Logger } from '@nestjs/common';
import { ApplicationsRepository } from './applications.repository.js';
import { clientSecretMatches, hashClientSecret } from './client-secrets.js';
import { parseId } from '../common/params/ids.js';

/** Compared against when there is nothing to compare, so every failure takes the same time. */
const DUMMY_HASH = hashClientSecret('no such client');

export interface AuthenticatedClient {
  id: string;
  name: string;
}

/** Checks a worker application's client credentials for the token endpoint. */
@Injectable()
export class ClientAuthenticator {
  private readonly logger = new Logger(ClientAuthenticator.name);

  constructor(private readonly applications: ApplicationsRepository) {}

  /**
   * The application, if it is enabled and the secret is its current one, or its previous one
   * before that expires; otherwise null.
   */
  async authenticate(environmentId: string, clientId: string, clientSecret: string, now = new Date()): Promise<AuthenticatedClient | null> {
    const [envId, appId] = [parseId(environmentId), parseId(clientId)];
    const app = envId && appId ? await this.applications.findCredentials(envId, appId) : null;
    const previousHash =
      app?.previousSecretHash && app.previousSecretExpiresAt && app.previousSecretExpiresAt > now ? app.previousSecretHash : null;
    // Both comparisons always run, so the time taken does not tell which secret, if any, exists.
    const matchesCurrent = clientSecretMatches(clientSecret, app?.clientSecretHash ?? DUMMY_HASH);
    const matchesPrevious = clientSecretMatches(clientSecret, previousHash ?? DUMMY_HASH);
    if (!app || !app.enabled) return null;
    if (matchesCurrent) return { id: app.id, name: app.name };
    if (!matchesPrevious || !previousHash) return null;
    await this.applications.markPreviousSecretUsed(app.id, previousHash, now).catch((error: unknown) => {
      // Knowing when the old secret was last used helps retire it; failing the sign-in for it would not.
      this.logger.warn(`could not record the use of a previous client secret: ${(error as Error).message}`);
    });
    return { id: app.id, name: app.name };
  }
}
