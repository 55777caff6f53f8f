import { Controller, Get, Param } from '@nestjs/common';
import { ResourceNotFound } from '../common/errors/domain-error.js';
import { AccessPresenter } from './access.presenter.js';
import { RoleParams } from './dto/role-assignment.dto.js';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { roleById, ROLES } from '../common/authorization/roles.js';

type Resource = Record<string, unknown>;

/** The built-in roles, the same in every environment (PingOne's `/v1/roles`). */
@Controller('v1/roles')
export class RolesController {
  constructor(private readonly present: AccessPresenter) {}

  @Get()
  @RequirePermission(Permissions.READ_ROLE, 'anywhere')
  list(): Resource {
    return this.present.roles(ROLES);
  }

  @Get(':roleId')
  @RequirePermission(Permissions.READ_ROLE, 'anywhere')
  get(@Param() { roleId }: RoleParams): Resource {
    const role = roleById(roleId);
    if (!role) throw new ResourceNotFound('role');
    return this.present.role(role);
  }
}
