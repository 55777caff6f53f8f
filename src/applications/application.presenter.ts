import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Application, ApplicationSecrets } from './application.js';
import { toApplicationResource, toSecretResource } from './application.mapper.js';
import type { ApplicationListResponse, ApplicationResponse, ApplicationSecretResponse } from './dto/application.response.js';

/** Builds the HAL bodies of the applications API with absolute links under the public base URL. */
@Injectable()
export class ApplicationPresenter {
  private readonly baseUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.baseUrl = config.publicBaseUrl;
  }

  application(app: Application): ApplicationResponse {
    return toApplicationResource(app, this.baseUrl);
  }

  list(environmentId: string, apps: Application[]): ApplicationListResponse {
    return {
      _links: { self: { href: `${this.baseUrl}/v1/environments/${environmentId}/applications` } },
      _embedded: { applications: apps.map((app) => toApplicationResource(app, this.baseUrl)) },
      count: apps.length,
      size: apps.length,
    };
  }

  secret(secrets: ApplicationSecrets): ApplicationSecretResponse {
    return toSecretResource(secrets, this.baseUrl);
  }
}
