import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { PolicyParams } from './dto/requests.dto.js';
import { PasswordPolicyDto } from './dto/password-policy.dto.js';
import { PasswordPolicyListResponse, PasswordPolicyResponse } from './dto/password-policy.response.js';
import { PasswordPoliciesService } from './password-policies.service.js';
import { PasswordPolicyPresenter } from './password-policy.presenter.js';

const POLICY_NOT_FOUND = 'The password policy does not exist in the environment.';

@ApiTags('Password policies')
@Controller('v1/environments/:envId/passwordPolicies')
export class PasswordPoliciesController {
  constructor(
    private readonly policies: PasswordPoliciesService,
    private readonly present: PasswordPolicyPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_PASSWORD_POLICY)
  @ApiOperation({ summary: 'List password policies' })
  @ApiOkResponse({ type: PasswordPolicyListResponse })
  async list(@Param() { envId }: EnvironmentParams): Promise<PasswordPolicyListResponse> {
    return this.present.list(envId, await this.policies.list(envId));
  }

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_PASSWORD_POLICY)
  @ApiOperation({ summary: 'Create a password policy' })
  @ApiCreatedResponse({ type: PasswordPolicyResponse })
  async create(
    @Param() { envId }: EnvironmentParams,
    @Body() body: PasswordPolicyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<PasswordPolicyResponse> {
    return this.present.policy(await this.policies.create(envId, body, ctx));
  }

  @Get(':policyId')
  @RequirePermission(Permissions.READ_PASSWORD_POLICY)
  @ApiOperation({ summary: 'Read a password policy' })
  @ApiOkResponse({ type: PasswordPolicyResponse })
  @ApiPingOneError(404, POLICY_NOT_FOUND)
  async get(@Param() { envId, policyId }: PolicyParams): Promise<PasswordPolicyResponse> {
    return this.present.policy(await this.policies.get(envId, policyId));
  }

  @Put(':policyId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_PASSWORD_POLICY)
  @ApiOperation({ summary: 'Replace a password policy' })
  @ApiOkResponse({ type: PasswordPolicyResponse })
  @ApiPingOneError(404, POLICY_NOT_FOUND)
  async replace(
    @Param() { envId, policyId }: PolicyParams,
    @Body() body: PasswordPolicyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<PasswordPolicyResponse> {
    return this.present.policy(await this.policies.replace(envId, policyId, body, ctx));
  }

  @Delete(':policyId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_PASSWORD_POLICY)
  @ApiOperation({ summary: 'Delete a password policy (not the default one, nor one a population names)' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiPingOneError(404, POLICY_NOT_FOUND)
  async delete(@Param() { envId, policyId }: PolicyParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.policies.delete(envId, policyId, ctx);
  }
}
