import { Body, Controller, Param, Post } from '@nestjs/common';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { ActionFor } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { UserPresenter } from '../users/index.js';
import { UserImportDto } from './dto/password-actions.dto.js';
import { UserImportService } from './user-import.service.js';

@Controller('v1/environments/:envId/users')
export class UserImportController {
  constructor(
    private readonly imports: UserImportService,
    private readonly present: UserPresenter,
  ) {}

  @Post()
  @ActionFor(MediaTypes.USER_IMPORT)
  @RequirePermission(Permissions.IMPORT_USER, 'newUser')
  async importUser(
    @Param() { envId }: EnvironmentParams,
    @Body() body: UserImportDto,
    @Ctx() ctx: RequestContext,
  ): Promise<Record<string, unknown>> {
    return this.present.user(await this.imports.importUser(envId, body, ctx));
  }
}
