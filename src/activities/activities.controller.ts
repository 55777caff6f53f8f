import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Reach } from '../common/authorization/access.js';
import { PermissionReach } from '../common/authorization/caller-access.decorator.js';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { ActionFor, MediaTypeFallback } from '../common/http/consumes.decorator.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { ActivityPresenter } from './activity.presenter.js';
import { ActivityPageResponse, ActivityResponse } from './dto/activity.response.js';
import { ActivitiesService } from './activities.service.js';
import { ActivityParams, ActivityQuery } from './dto/activity-query.dto.js';

/**
 * PingOne's audit activities: the outbox read newest first, by date range. A population-scoped
 * caller reads only the events about users of its populations (`users` target: a list narrowed
 * to the permission's reach).
 */
@ApiTags('Activities')
@Controller('v1/environments/:envId/activities')
export class ActivitiesController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly present: ActivityPresenter,
  ) {}

  @Get()
  @RequirePermission(Permissions.READ_ACTIVITY, 'users')
  @ApiOperation({ summary: 'Read the activity log: a date range is required; newest first' })
  @ApiOkResponse({ type: ActivityPageResponse })
  async list(
    @Param() { envId }: EnvironmentParams,
    @Query() query: ActivityQuery,
    @PermissionReach() reach: Reach,
  ): Promise<ActivityPageResponse> {
    return this.present.page(envId, await this.activities.list(envId, query, reach), { cursor: query.cursor, post: false });
  }

  /** The same search with the filter in the body (JSON or form-encoded), out of URLs and their logs. */
  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.JSON)
  @RequirePermission(Permissions.READ_ACTIVITY, 'users')
  @ApiOperation({ summary: 'Read the activity log with the filter in the body (JSON or form-encoded)' })
  @ApiOkResponse({ type: ActivityPageResponse })
  async search(
    @Param() { envId }: EnvironmentParams,
    @Body() body: ActivityQuery,
    @PermissionReach() reach: Reach,
  ): Promise<ActivityPageResponse> {
    return this.present.page(envId, await this.activities.list(envId, body, reach), { cursor: body.cursor, post: true });
  }

  @Post()
  @HttpCode(200)
  @ActionFor(MediaTypes.FORM)
  @RequirePermission(Permissions.READ_ACTIVITY, 'users')
  @ApiOperation({ summary: 'Read the activity log with the filter in the body (JSON or form-encoded)' })
  @ApiOkResponse({ type: ActivityPageResponse })
  async searchForm(
    @Param() params: EnvironmentParams,
    @Body() body: ActivityQuery,
    @PermissionReach() reach: Reach,
  ): Promise<ActivityPageResponse> {
    return this.search(params, body, reach);
  }

  /** Other Content-Types: authenticated, then refused with 415. */
  @Post()
  @MediaTypeFallback(MediaTypes.JSON, MediaTypes.FORM)
  @RequirePermission(Permissions.READ_ACTIVITY, 'users')
  unsupportedMediaType(): never {
    throw new Error('unreachable: the media-type guard refuses every request routed here');
  }

  @Get(':activityId')
  @RequirePermission(Permissions.READ_ACTIVITY, 'users')
  @ApiOperation({ summary: 'Read one activity' })
  @ApiOkResponse({ type: ActivityResponse })
  @ApiPingOneError(404, 'No such activity in the environment, or none the caller may see.')
  async get(@Param() { envId, activityId }: ActivityParams, @PermissionReach() reach: Reach): Promise<ActivityResponse> {
    return this.present.activity(envId, await this.activities.get(envId, activityId, reach));
  }
}
