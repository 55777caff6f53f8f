import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import type { Access } from '../common/authorization/access.js';
import { AccessPresenter } from './access.presenter.js';
import { CallerAccess } from '../common/authorization/caller-access.decorator.js';
import { ApplicationAssignmentParams, ApplicationAssignmentsParams, RoleAssignmentBodyDto } from './dto/role-assignment.dto.js';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { RoleAssignmentListResponse, RoleAssignmentResponse } from './dto/access.response.js';
import { RoleAssignmentsService } from './role-assignments.service.js';

const NOT_FOUND = 'The application or the assignment does not exist.';

@ApiTags('Roles')
@Controller('v1/environments/:envId/applications/:appId/roleAssignments')
export class ApplicationRoleAssignmentsController {
  constructor(
    private readonly assignments: RoleAssignmentsService,
    private readonly present: AccessPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_APPLICATION_ROLE_ASSIGNMENT)
  @ApiOperation({ summary: "List the application's role assignments" })
  @ApiOkResponse({ type: RoleAssignmentListResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async list(@Param() { envId, appId }: ApplicationAssignmentsParams): Promise<RoleAssignmentListResponse> {
    const subject = { type: 'APPLICATION', id: appId } as const;
    return this.present.assignments(envId, subject, await this.assignments.list(envId, subject));
  }

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_APPLICATION_ROLE_ASSIGNMENT)
  @ApiOperation({ summary: 'Assign a role to the application (no more than the caller holds)' })
  @ApiCreatedResponse({ type: RoleAssignmentResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async create(
    @Param() { envId, appId }: ApplicationAssignmentsParams,
    @Body() body: RoleAssignmentBodyDto,
    @CallerAccess() caller: Access,
    @Ctx() ctx: RequestContext,
  ): Promise<RoleAssignmentResponse> {
    return this.present.assignment(await this.assignments.create(envId, { type: 'APPLICATION', id: appId }, body, caller, ctx));
  }

  @Get(':assignmentId')
  @RequirePermission(Permissions.READ_APPLICATION_ROLE_ASSIGNMENT)
  @ApiOperation({ summary: 'Read a role assignment' })
  @ApiOkResponse({ type: RoleAssignmentResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async get(@Param() { envId, appId, assignmentId }: ApplicationAssignmentParams): Promise<RoleAssignmentResponse> {
    return this.present.assignment(await this.assignments.get(envId, { type: 'APPLICATION', id: appId }, assignmentId));
  }

  @Delete(':assignmentId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_APPLICATION_ROLE_ASSIGNMENT)
  @ApiOperation({ summary: 'Remove a role assignment (no more than the caller holds)' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiPingOneError(404, NOT_FOUND)
  async delete(
    @Param() { envId, appId, assignmentId }: ApplicationAssignmentParams,
    @CallerAccess() caller: Access,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    await this.assignments.delete(envId, { type: 'APPLICATION', id: appId }, assignmentId, caller, ctx);
  }
}
