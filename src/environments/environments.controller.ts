import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { EnvironmentBodyDto, ListEnvironmentsQuery } from './dto/environment.dto.js';
import { EnvironmentListResponse, EnvironmentResponse } from './dto/environment.response.js';
import { EnvironmentPresenter } from './environment.presenter.js';
import { EnvironmentsService } from './environments.service.js';

const ENVIRONMENT_NOT_FOUND = 'The environment does not exist.';

/**
 * The environment itself (PingOne's `/v1/environments`). A token belongs to one environment: it
 * lists and reads that one (any role that reads it, over the environment or a population of it,
 * so a tool can test its connection), and another environment's id answers 403.
 */
@ApiTags('Environments')
@Controller('v1/environments')
export class EnvironmentsController {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly present: EnvironmentPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_ENVIRONMENT, 'anywhere')
  @ApiOperation({ summary: 'List the environments the caller may see (its own)' })
  @ApiOkResponse({ type: EnvironmentListResponse })
  async list(@Query() query: ListEnvironmentsQuery, @Ctx() ctx: RequestContext): Promise<EnvironmentListResponse> {
    return this.present.list(await this.environments.listVisible(ctx.principal.environmentId, query), query);
  }

  @Get(':envId')
  @RequirePermission(Permissions.READ_ENVIRONMENT, 'anywhere')
  @ApiOperation({ summary: 'Read the environment' })
  @ApiOkResponse({ type: EnvironmentResponse })
  @ApiPingOneError(404, ENVIRONMENT_NOT_FOUND)
  async get(@Param() { envId }: EnvironmentParams): Promise<EnvironmentResponse> {
    return this.present.environment(await this.environments.get(envId));
  }

  @Put(':envId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_ENVIRONMENT)
  @ApiOperation({ summary: "Update the environment's name and description" })
  @ApiOkResponse({ type: EnvironmentResponse })
  @ApiPingOneError(404, ENVIRONMENT_NOT_FOUND)
  async update(
    @Param() { envId }: EnvironmentParams,
    @Body() body: EnvironmentBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<EnvironmentResponse> {
    return this.present.environment(await this.environments.update(envId, body, ctx));
  }
}
