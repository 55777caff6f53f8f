import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import type { Access } from '../common/authorization/access.js';
import { AccessPresenter } from './access.presenter.js';
import { CallerAccess } from '../common/authorization/caller-access.decorator.js';
import { ApplicationAssignmentParams, ApplicationAssignmentsParams, RoleAssignmentBodyDto } from './dto/role-assignment.dto.js';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { RoleAssignmentsService } from './role-assignments.service.js';

type Resource = Record<string, unknown>;

@Controller('v1/environments/:envId/applications/:appId/roleAssignments')
export class ApplicationRoleAssignmentsController {
  constructor(
    private readonly assignments: RoleAssignmentsService,
    private readonly present: AccessPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_APPLICATION_ROLE_ASSIGNMENT)
  async list(@Param() { envId, appId }: ApplicationAssignmentsParams): Promise<Resource> {
    const subject = { type: 'APPLICATION', id: appId } as const;
    return this.present.assignments(envId, subject, await this.assignments.list(envId, subject));
  }

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_APPLICATION_ROLE_ASSIGNMENT)
  async create(
    @Param() { envId, appId }: ApplicationAssignmentsParams,
    @Body() body: RoleAssignmentBodyDto,
    @CallerAccess() caller: Access,
    @Ctx() ctx: RequestContext,
  ): Promise<Resource> {
    return this.present.assignment(await this.assignments.create(envId, { type: 'APPLICATION', id: appId }, body, caller, ctx));
  }

  @Get(':assignmentId')
  @RequirePermission(Permissions.READ_APPLICATION_ROLE_ASSIGNMENT)
  async get(@Param() { envId, appId, assignmentId }: ApplicationAssignmentParams): Promise<Resource> {
    return this.present.assignment(await this.assignments.get(envId, { type: 'APPLICATION', id: appId }, assignmentId));
  }

  @Delete(':assignmentId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_APPLICATION_ROLE_ASSIGNMENT)
  async delete(
    @Param() { envId, appId, assignmentId }: ApplicationAssignmentParams,
    @CallerAccess() caller: Access,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    await this.assignments.delete(envId, { type: 'APPLICATION', id: appId }, assignmentId, caller, ctx);
  }
}
