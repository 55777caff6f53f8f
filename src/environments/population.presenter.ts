import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { PopulationListResponse, PopulationResponse } from './dto/population.response.js';
import type { Population } from './populations.repository.js';

/** PingOne's representation of populations, with absolute links under the public base URL. */
@Injectable()
export class PopulationPresenter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  population(p: Population): PopulationResponse {
    const environment = `${this.config.publicBaseUrl}/v1/environments/${p.environmentId}`;
    return {
      _links: { self: { href: `${environment}/populations/${p.id}` }, environment: { href: environment } },
      id: p.id,
      environment: { id: p.environmentId },
      name: p.name,
      default: p.isDefault,
      ...(p.passwordPolicyId ? { passwordPolicy: { id: p.passwordPolicyId } } : {}),
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  }

  list(environmentId: string, populations: Population[]): PopulationListResponse {
    return {
      _links: { self: { href: `${this.config.publicBaseUrl}/v1/environments/${environmentId}/populations` } },
      _embedded: { populations: populations.map((p) => this.population(p)) },
      count: populations.length,
      size: populations.length,
    };
  }
}
