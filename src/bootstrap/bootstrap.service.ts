import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TransactionHost } from '../database/transaction-host.js';
import { RoleAssignmentsService } from '../access/index.js';
import { ApplicationsService } from '../applications/index.js';
import { EnvironmentsService } from '../environments/index.js';
import { PasswordPoliciesService } from '../passwords/index.js';

export interface BootstrapResult {
  environmentId: string;
  populationId: string;
  clientId: string;
  clientSecret: string;
}

/** Creates a working starting point: an environment, its default population and a worker that is its Environment Admin. */
@Injectable()
export class BootstrapService {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly passwordPolicies: PasswordPoliciesService,
    private readonly applications: ApplicationsService,
    private readonly roleAssignments: RoleAssignmentsService,
    private readonly transactions: TransactionHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  createEnvironment(name = 'Administrators'): Promise<BootstrapResult> {
    return this.transactions.run(async () => {
      const environmentId = randomUUID();
      const populationId = randomUUID();
      await this.environments.createWithDefaultPopulation({ environmentId, name, populationId });
      await this.passwordPolicies.createStandard(environmentId);
      const context = { correlationId: randomUUID() };
      const app = await this.applications.createWorker(environmentId, 'Bootstrap Admin Worker', context);
      await this.roleAssignments.grantFirstAdmin(environmentId, app.id, context);
      return { environmentId, populationId, clientId: app.id, clientSecret: app.clientSecret };
    });
  }

  /** On an empty database only; never touches an existing environment. */
  createFirstEnvironment(): Promise<BootstrapResult | null> {
    return this.environments.whileBootstrapLocked((empty) => (empty ? this.createEnvironment() : Promise.resolve(null)));
  }

  /**
   * What a newcomer pastes: the ids, then the secret exactly once (as a shell variable the curls
   * below use), a token request and the unlock call.
   */
  instructions(result: BootstrapResult): string {
    const base = this.config.publicBaseUrl;
    const envPath = `${base}/v1/environments/${result.environmentId}`;
    return [
      `Environment ID:   ${result.environmentId}`,
      `Population ID:    ${result.populationId}`,
      `Client ID:        ${result.clientId}`,
      'Client secret:    in CLIENT_SECRET below. It is shown only this once: store it now.',
      '',
      'Paste into a shell:',
      `  export ENV_ID='${result.environmentId}' CLIENT_ID='${result.clientId}' CLIENT_SECRET='${result.clientSecret}'`,
      '',
      'Get a token:',
      `  export TOKEN=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials \\`,
      `    "${base}/$ENV_ID/as/token" | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
      '',
      'Create a user and lock it:',
      `  export USER_ID=$(curl -s -X POST '${envPath}/users' \\`,
      `    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
      `    -d '{"username":"alice@example.com","email":"alice@example.com"}' \\`,
      `    | sed -E 's/.*"id":"([0-9a-f-]{36})","environment".*/\\1/')`,
      `  curl -s -X POST '${envPath}/users/'$USER_ID \\`,
      `    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/vnd.pingidentity.account.lock+json'`,
      '',
      'Unlock it (PingOne\'s "User Account Unlock" request):',
      `  curl --location --globoff --request POST '${envPath}/users/'$USER_ID \\`,
      `  --header 'Content-Type: application/vnd.pingidentity.account.unlock+json' \\`,
      `  --header "Authorization: Bearer $TOKEN"`,
    ].join('\n');
  }
}
