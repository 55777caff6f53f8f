import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Access } from '../common/authorization/access.js';
import { CallerAccess } from '../common/authorization/caller-access.decorator.js';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { ApplicationPresenter } from './application.presenter.js';
import { ApplicationSecretsService } from './application-secrets.service.js';
import { ApplicationsService } from './applications.service.js';
import { ApplicationBodyDto, ApplicationParams, RotateSecretDto } from './dto/application.dto.js';
import { ApplicationListResponse, ApplicationResponse, ApplicationSecretResponse } from './dto/application.response.js';

/** A secret in a response must not be kept by a browser, proxy or CDN. */
const NO_STORE = ['Cache-Control', 'no-store'] as const;
const APPLICATION_NOT_FOUND = 'The application does not exist in the environment.';

@ApiTags('Applications')
@Controller('v1/environments/:envId/applications')
export class ApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly secrets: ApplicationSecretsService,
    private readonly present: ApplicationPresenter,
  ) {}

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_APPLICATION)
  @ApiOperation({ summary: 'Create a worker application' })
  @ApiCreatedResponse({ type: ApplicationResponse })
  async create(
    @Param() { envId }: EnvironmentParams,
    @Body() body: ApplicationBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<ApplicationResponse> {
    return this.present.application(await this.applications.create(envId, body, ctx));
  }

  @Get()
  @RequirePermission(Permissions.READ_APPLICATION)
  @ApiOperation({ summary: 'List applications' })
  @ApiOkResponse({ type: ApplicationListResponse })
  async list(@Param() { envId }: EnvironmentParams): Promise<ApplicationListResponse> {
    return this.present.list(envId, await this.applications.list(envId));
  }

  @Get(':appId')
  @RequirePermission(Permissions.READ_APPLICATION)
  @ApiOperation({ summary: 'Read an application' })
  @ApiOkResponse({ type: ApplicationResponse })
  @ApiPingOneError(404, APPLICATION_NOT_FOUND)
  async get(@Param() { envId, appId }: ApplicationParams): Promise<ApplicationResponse> {
    return this.present.application(await this.applications.get(envId, appId));
  }

  @Put(':appId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_APPLICATION)
  @ApiOperation({ summary: 'Replace an application (an application cannot disable itself)' })
  @ApiOkResponse({ type: ApplicationResponse })
  @ApiPingOneError(404, APPLICATION_NOT_FOUND)
  async replace(
    @Param() { envId, appId }: ApplicationParams,
    @Body() body: ApplicationBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<ApplicationResponse> {
    return this.present.application(await this.applications.replace(envId, appId, body, ctx));
  }

  @Delete(':appId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_APPLICATION)
  @ApiOperation({ summary: 'Delete an application (not the one whose token makes the call)' })
  @ApiNoContentResponse({ description: 'Deleted: its tokens stop working at once.' })
  @ApiPingOneError(404, APPLICATION_NOT_FOUND)
  async delete(@Param() { envId, appId }: ApplicationParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.applications.delete(envId, appId, ctx);
  }

  @Get(':appId/secret')
  @Header(...NO_STORE)
  @RequirePermission(Permissions.READ_APPLICATION_SECRET)
  @ApiOperation({ summary: "Read an application's secret" })
  @ApiOkResponse({ type: ApplicationSecretResponse })
  @ApiPingOneError(404, APPLICATION_NOT_FOUND)
  async getSecret(
    @Param() { envId, appId }: ApplicationParams,
    @CallerAccess() access: Access,
    @Ctx() ctx: RequestContext,
  ): Promise<ApplicationSecretResponse> {
    return this.present.secret(await this.secrets.read(envId, appId, access, ctx.principal.clientId));
  }

  @Post(':appId/secret')
  @HttpCode(200)
  @Header(...NO_STORE)
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.ROTATE_APPLICATION_SECRET)
  @ApiOperation({ summary: "Rotate an application's secret; the previous one works until `previous.expiresAt`" })
  @ApiBody({ type: RotateSecretDto, required: false })
  @ApiOkResponse({ type: ApplicationSecretResponse, description: 'The new secret, and the previous one while it works.' })
  @ApiPingOneError(404, APPLICATION_NOT_FOUND)
  async rotateSecret(
    @Param() { envId, appId }: ApplicationParams,
    @Body() body: RotateSecretDto,
    @CallerAccess() access: Access,
    @Ctx() ctx: RequestContext,
  ): Promise<ApplicationSecretResponse> {
    return this.present.secret(await this.secrets.rotate(envId, appId, body.previous?.expiresAt, access, ctx));
  }
}
