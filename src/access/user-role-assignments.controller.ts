import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import type { Access } from '../common/authorization/access.js';
import { AccessPresenter } from './access.presenter.js';
import { CallerAccess } from '../common/authorization/caller-access.decorator.js';
import { UserAssignmentParams, UserAssignmentsParams, RoleAssignmentBodyDto } from './dto/role-assignment.dto.js';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { RoleAssignmentsService } from './role-assignments.service.js';

type Resource = Record<string, unknown>;

@Controller('v1/environments/:envId/users/:userId/roleAssignments')
export class UserRoleAssignmentsController {
  constructor(
    private readonly assignments: RoleAssignmentsService,
    private readonly present: AccessPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_USER_ROLE_ASSIGNMENT, 'user')
  async list(@Param() { envId, userId }: UserAssignmentsParams): Promise<Resource> {
    const subject = { type: 'USER', id: userId } as const;
    return this.present.assignments(envId, subject, await this.assignments.list(envId, subject));
  }

  @Post()
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_USER_ROLE_ASSIGNMENT, 'user')
  async create(
    @Param() { envId, userId }: UserAssignmentsParams,
    @Body() body: RoleAssignmentBodyDto,
    @CallerAccess() caller: Access,
    @Ctx() ctx: RequestContext,
  ): Promise<Resource> {
    return this.present.assignment(await this.assignments.create(envId, { type: 'USER', id: userId }, body, caller, ctx));
  }

  @Get(':assignmentId')
  @RequirePermission(Permissions.READ_USER_ROLE_ASSIGNMENT, 'user')
  async get(@Param() { envId, userId, assignmentId }: UserAssignmentParams): Promise<Resource> {
    return this.present.assignment(await this.assignments.get(envId, { type: 'USER', id: userId }, assignmentId));
  }

  @Delete(':assignmentId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_USER_ROLE_ASSIGNMENT, 'user')
  async delete(
    @Param() { envId, userId, assignmentId }: UserAssignmentParams,
    @CallerAccess() caller: Access,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    await this.assignments.delete(envId, { type: 'USER', id: userId }, assignmentId, caller, ctx);
  }
}
