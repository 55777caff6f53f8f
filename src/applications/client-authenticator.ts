import { Injectable } from '@nestjs/common';
import { ApplicationsRepository } from './applications.repository.js';
import { clientSecretMatches, hashClientSecret } from './client-secrets.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Compared against when the client does not exist, so both failures take the same time. */
const DUMMY_HASH = hashClientSecret('no such client');

export interface AuthenticatedClient {
  id: string;
  name: string;
}

/** Checks a worker application's client credentials for the token endpoint. */
@Injectable()
export class ClientAuthenticator {
  constructor(private readonly applications: ApplicationsRepository) {}

  /** The application, if it is enabled and the secret is its own; otherwise null. */
  async authenticate(environmentId: string, clientId: string, clientSecret: string): Promise<AuthenticatedClient | null> {
    const app = UUID.test(clientId) && UUID.test(environmentId) ? await this.applications.findCredentials(environmentId, clientId) : null;
    const matches = clientSecretMatches(clientSecret, app?.clientSecretHash ?? DUMMY_HASH);
    if (!app || !matches || !app.enabled) return null;
    return { id: app.id, name: app.name };
  }
}
