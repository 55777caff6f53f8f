import { Body, Controller, Get, Inject, Param, Post, Put } from '@nestjs/common';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { PopulationBodyDto, PopulationParams } from './dto/population.dto.js';
import type { Population } from './populations.repository.js';
import { PopulationsService } from './populations.service.js';

type Resource = Record<string, unknown>;

@Controller('v1/environments/:envId/populations')
export class PopulationsController {
  constructor(
    private readonly populations: PopulationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_POPULATION)
  async list(@Param() { envId }: EnvironmentParams): Promise<Resource> {
    const populations = await this.populations.list(envId);
    const self = `${this.config.publicBaseUrl}/v1/environments/${envId}/populations`;
    return {
      _links: { self: { href: self } },
      _embedded: { populations: populations.map((p) => this.resource(p)) },
      count: populations.length,
      size: populations.length,
    };
  }

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_POPULATION)
  async create(@Param() { envId }: EnvironmentParams, @Body() body: PopulationBodyDto): Promise<Resource> {
    return this.resource(await this.populations.create(envId, body));
  }

  @Get(':populationId')
  @RequirePermission(Permissions.READ_POPULATION, 'population')
  async get(@Param() { envId, populationId }: PopulationParams): Promise<Resource> {
    return this.resource(await this.populations.get(envId, populationId));
  }

  @Put(':populationId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_POPULATION)
  async replace(@Param() { envId, populationId }: PopulationParams, @Body() body: PopulationBodyDto): Promise<Resource> {
    return this.resource(await this.populations.replace(envId, populationId, body));
  }

  private resource(p: Population): Resource {
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
}
