import { Module } from '@nestjs/common';
import { AccessGuard } from './access.guard.js';
import { AccessResolver } from './access.resolver.js';
import { AccessTargetsRepository } from './access-targets.repository.js';
import { RoleAssignmentsRepository } from './role-assignments.repository.js';

@Module({
  providers: [AccessResolver, AccessGuard, AccessTargetsRepository, RoleAssignmentsRepository],
  exports: [AccessResolver, AccessGuard, AccessTargetsRepository, RoleAssignmentsRepository],
})
export class AccessModule {}
