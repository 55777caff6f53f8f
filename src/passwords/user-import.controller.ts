import type { Reach } from '../common/authorization/access.js';
import { PermissionReach } from '../common/authorization/caller-access.decorator.js';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { ActionFor } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { UserPresenter, UserResponse } from '../users/index.js';
import { UserImportDto } from './dto/user-import.dto.js';
import { UserImportService } from './user-import.service.js';

@ApiTags('Users')
@Controller('v1/environments/:envId/users')
export class UserImportController {
  constructor(
    private readonly imports: UserImportService,
    private readonly present: UserPresenter,
  ) {}

  @Post()
  @ActionFor(MediaTypes.USER_IMPORT)
  @RequirePermission(Permissions.IMPORT_USER, 'newUser')
  @ApiOperation({
    summary: 'Import a user with a password',
    description: 'The password is cleartext (checked against the policy, then hashed) or an argon2 or bcrypt hash, kept as it is.',
  })
  @ApiCreatedResponse({ type: UserResponse, description: 'The user as created.' })
  async importUser(
    @Param() { envId }: EnvironmentParams,
    @Body() body: UserImportDto,
    @Ctx() ctx: RequestContext,
    @PermissionReach() reach: Reach,
  ): Promise<UserResponse> {
    return this.present.user(await this.imports.importUser(envId, body, ctx, reach));
  }
}
