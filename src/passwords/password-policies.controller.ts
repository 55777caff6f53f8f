import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { PolicyParams } from './dto/requests.dto.js';
import { PasswordPolicyDto } from './dto/password-policy.dto.js';
import { PasswordPoliciesService } from './password-policies.service.js';
import { PasswordPolicyPresenter } from './password-policy.presenter.js';

type Resource = Record<string, unknown>;

@Controller('v1/environments/:envId/passwordPolicies')
export class PasswordPoliciesController {
  constructor(
    private readonly policies: PasswordPoliciesService,
    private readonly present: PasswordPolicyPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_PASSWORD_POLICY)
  async list(@Param() { envId }: EnvironmentParams): Promise<Resource> {
    return this.present.list(envId, await this.policies.list(envId));
  }

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_PASSWORD_POLICY)
  async create(@Param() { envId }: EnvironmentParams, @Body() body: PasswordPolicyDto): Promise<Resource> {
    return this.present.policy(await this.policies.create(envId, body));
  }

  @Get(':policyId')
  @RequirePermission(Permissions.READ_PASSWORD_POLICY)
  async get(@Param() { envId, policyId }: PolicyParams): Promise<Resource> {
    return this.present.policy(await this.policies.get(envId, policyId));
  }

  @Put(':policyId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_PASSWORD_POLICY)
  async replace(@Param() { envId, policyId }: PolicyParams, @Body() body: PasswordPolicyDto): Promise<Resource> {
    return this.present.policy(await this.policies.replace(envId, policyId, body));
  }

  @Delete(':policyId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_PASSWORD_POLICY)
  async delete(@Param() { envId, policyId }: PolicyParams): Promise<void> {
    await this.policies.delete(envId, policyId);
  }
}
