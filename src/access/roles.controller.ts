import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ResourceNotFound } from '../common/errors/domain-error.js';
import { AccessPresenter } from './access.presenter.js';
import { RoleParams } from './dto/role-assignment.dto.js';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { roleById, ROLES } from '../common/authorization/roles.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { RoleListResponse, RoleResponse } from './dto/access.response.js';

/** The built-in roles, the same in every environment (PingOne's `/v1/roles`). */
@ApiTags('Roles')
@Controller('v1/roles')
export class RolesController {
  constructor(private readonly present: AccessPresenter) {}

  @Get()
  @RequirePermission(Permissions.READ_ROLE, 'anywhere')
  @ApiOperation({ summary: 'List the built-in roles' })
  @ApiOkResponse({ type: RoleListResponse })
  list(): RoleListResponse {
    return this.present.roles(ROLES);
  }

  @Get(':roleId')
  @RequirePermission(Permissions.READ_ROLE, 'anywhere')
  @ApiOperation({ summary: 'Read a built-in role' })
  @ApiOkResponse({ type: RoleResponse })
  @ApiPingOneError(404, 'No role has this id.')
  get(@Param() { roleId }: RoleParams): RoleResponse {
    const role = roleById(roleId);
    if (!role) throw new ResourceNotFound('role');
    return this.present.role(role);
  }
}
