import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALL_PERMISSIONS, type Permission } from '../../common/authorization/permissions.js';
import type { ScopeType } from '../../common/authorization/roles.js';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';

const SCOPE_TYPES: ScopeType[] = ['ENVIRONMENT', 'POPULATION'];

export class RolePermission {
  @ApiProperty({ enum: ALL_PERMISSIONS }) id!: Permission;
  @ApiProperty() description!: string;
}

/** A built-in role: the same in every environment. */
export class RoleResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: SCOPE_TYPES, isArray: true, description: 'The scopes the role can be assigned over.' }) applicableTo!: ScopeType[];
  @ApiProperty({ type: () => [RolePermission] }) permissions!: RolePermission[];
}

export class EmbeddedRoles {
  @ApiProperty({ type: () => [RoleResponse] }) roles!: RoleResponse[];
}

export class RoleListResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ type: () => EmbeddedRoles }) _embedded!: EmbeddedRoles;
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) size!: number;
}

export class RoleAssignmentLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
  @ApiProperty({ type: () => HalLink }) role!: HalLink;
  @ApiPropertyOptional({ type: () => HalLink, description: 'The application holding the role (assignments of an application).' })
  application?: HalLink;
  @ApiPropertyOptional({ type: () => HalLink, description: 'The user holding the role (assignments of a user).' })
  user?: HalLink;
}

export class AssignmentScope {
  @ApiProperty({ format: 'uuid', description: 'The environment or population.' }) id!: string;
  @ApiProperty({ enum: SCOPE_TYPES }) type!: ScopeType;
}

/** One role held over one scope by an application or a user. */
export class RoleAssignmentResponse {
  @ApiProperty({ type: () => RoleAssignmentLinks }) _links!: RoleAssignmentLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty({ type: () => IdReference }) role!: IdReference;
  @ApiProperty({ type: () => AssignmentScope }) scope!: AssignmentScope;
  @ApiProperty() readOnly!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class EmbeddedRoleAssignments {
  @ApiProperty({ type: () => [RoleAssignmentResponse] }) roleAssignments!: RoleAssignmentResponse[];
}

export class RoleAssignmentListResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ type: () => EmbeddedRoleAssignments }) _embedded!: EmbeddedRoleAssignments;
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) size!: number;
}
