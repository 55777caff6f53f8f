import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { AccessGuard } from './access.guard.js';
import { AccessPresenter } from './access.presenter.js';
import { AccessResolver } from './access.resolver.js';
import { AccessTargetsRepository } from './access-targets.repository.js';
import { ApplicationRoleAssignmentsController } from './application-role-assignments.controller.js';
import { RoleAssignmentsRepository } from './role-assignments.repository.js';
import { RoleAssignmentsService } from './role-assignments.service.js';
import { RolesController } from './roles.controller.js';
import { UserRoleAssignmentsController } from './user-role-assignments.controller.js';

/** Roles, role assignments, and the guard that turns them into allowed and refused requests. */
@Module({
  imports: [EventsModule],
  controllers: [RolesController, ApplicationRoleAssignmentsController, UserRoleAssignmentsController],
  providers: [AccessResolver, AccessGuard, AccessTargetsRepository, RoleAssignmentsRepository, RoleAssignmentsService, AccessPresenter],
  exports: [AccessResolver, AccessGuard, AccessTargetsRepository, RoleAssignmentsRepository, RoleAssignmentsService],
})
export class AccessModule {}
