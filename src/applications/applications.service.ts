import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApplicationsRepository } from './applications.repository.js';
import { generateClientSecret, hashClientSecret } from './client-secrets.js';

export interface NewApplication {
  id: string;
  name: string;
  /** Shown once, to whoever created the application; only its hash is kept. */
  clientSecret: string;
}

@Injectable()
export class ApplicationsService {
  constructor(private readonly applications: ApplicationsRepository) {}

  async createWorker(environmentId: string, name: string): Promise<NewApplication> {
    const id = randomUUID();
    const clientSecret = generateClientSecret();
    await this.applications.create({ id, environmentId, name, clientSecretHash: hashClientSecret(clientSecret) });
    return { id, name, clientSecret };
  }
}
