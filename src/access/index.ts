// What other features may use of access control (checked by `npm run lint`).
export { AccessModule } from './access.module.js';
export { AccessResolver } from './access.resolver.js';
export { type AssignmentSubject } from './role-assignments.repository.js';
export { RoleAssignmentsService } from './role-assignments.service.js';
