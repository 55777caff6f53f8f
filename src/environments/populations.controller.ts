import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { PopulationBodyDto, PopulationParams } from './dto/population.dto.js';
import { PopulationListResponse, PopulationResponse } from './dto/population.response.js';
import { PopulationPresenter } from './population.presenter.js';
import { PopulationsService } from './populations.service.js';

const POPULATION_NOT_FOUND = 'The population does not exist in the environment.';

@ApiTags('Populations')
@Controller('v1/environments/:envId/populations')
export class PopulationsController {
  constructor(
    private readonly populations: PopulationsService,
    private readonly present: PopulationPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_POPULATION)
  @ApiOperation({ summary: 'List populations' })
  @ApiOkResponse({ type: PopulationListResponse })
  async list(@Param() { envId }: EnvironmentParams): Promise<PopulationListResponse> {
    return this.present.list(envId, await this.populations.list(envId));
  }

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_POPULATION)
  @ApiOperation({ summary: 'Create a population' })
  @ApiCreatedResponse({ type: PopulationResponse })
  async create(
    @Param() { envId }: EnvironmentParams,
    @Body() body: PopulationBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<PopulationResponse> {
    return this.present.population(await this.populations.create(envId, body, ctx));
  }

  @Get(':populationId')
  @RequirePermission(Permissions.READ_POPULATION, 'population')
  @ApiOperation({ summary: 'Read a population' })
  @ApiOkResponse({ type: PopulationResponse })
  @ApiPingOneError(404, POPULATION_NOT_FOUND)
  async get(@Param() { envId, populationId }: PopulationParams): Promise<PopulationResponse> {
    return this.present.population(await this.populations.get(envId, populationId));
  }

  @Put(':populationId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_POPULATION)
  @ApiOperation({ summary: 'Replace a population' })
  @ApiOkResponse({ type: PopulationResponse })
  @ApiPingOneError(404, POPULATION_NOT_FOUND)
  async replace(
    @Param() { envId, populationId }: PopulationParams,
    @Body() body: PopulationBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<PopulationResponse> {
    return this.present.population(await this.populations.replace(envId, populationId, body, ctx));
  }
}
