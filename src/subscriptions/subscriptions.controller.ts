import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { RotateSigningSecretDto, SubscriptionBodyDto, SubscriptionParams } from './dto/subscription.dto.js';
import { SubscriptionPresenter, type SubscriptionResource } from './subscription.presenter.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** A signing secret in a response must not be kept by a browser, proxy or CDN. */
const NO_STORE = ['Cache-Control', 'no-store'] as const;

/** PingOne's webhook subscriptions (docs/events.md), with the service's signing secret and delivery status. */
@Controller('v1/environments/:envId/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly present: SubscriptionPresenter,
  ) {}

  @Post()
  @Header(...NO_STORE)
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.CREATE_SUBSCRIPTION)
  async create(
    @Param() { envId }: EnvironmentParams,
    @Body() body: SubscriptionBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscriptionResource> {
    const { subscription, signingSecret } = await this.subscriptions.create(envId, body, ctx);
    return this.present.subscription(subscription, await this.subscriptions.headers(subscription), signingSecret);
  }

  @Get()
  @RequirePermission(Permissions.READ_SUBSCRIPTION)
  async list(@Param() { envId }: EnvironmentParams) {
    const items = await this.subscriptions.list(envId);
    return this.present.list(
      envId,
      await Promise.all(items.map(async (s) => this.present.subscription(s, await this.subscriptions.headers(s)))),
    );
  }

  @Get(':subscriptionId')
  @RequirePermission(Permissions.READ_SUBSCRIPTION)
  async get(@Param() { envId, subscriptionId }: SubscriptionParams): Promise<SubscriptionResource> {
    const subscription = await this.subscriptions.get(envId, subscriptionId);
    return this.present.subscription(subscription, await this.subscriptions.headers(subscription));
  }

  @Put(':subscriptionId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_SUBSCRIPTION)
  async replace(
    @Param() { envId, subscriptionId }: SubscriptionParams,
    @Body() body: SubscriptionBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscriptionResource> {
    const subscription = await this.subscriptions.replace(envId, subscriptionId, body, ctx);
    return this.present.subscription(subscription, await this.subscriptions.headers(subscription));
  }

  @Delete(':subscriptionId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_SUBSCRIPTION)
  async delete(@Param() { envId, subscriptionId }: SubscriptionParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.subscriptions.delete(envId, subscriptionId, ctx);
  }

  /** What delivery to this subscription looks like now: backlog, oldest undelivered event, last error, next attempt. */
  @Get(':subscriptionId/deliveryStatus')
  @RequirePermission(Permissions.READ_SUBSCRIPTION)
  async deliveryStatus(@Param() { envId, subscriptionId }: SubscriptionParams) {
    const subscription = await this.subscriptions.get(envId, subscriptionId);
    return this.present.deliveryStatus(subscription, await this.subscriptions.deliveryStatus(envId, subscriptionId));
  }

  /** A new signing secret, shown this once; the previous one keeps signing until `previous.expiresAt`. */
  @Post(':subscriptionId/signingSecret')
  @HttpCode(200)
  @Header(...NO_STORE)
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_SUBSCRIPTION)
  async rotateSigningSecret(
    @Param() { envId, subscriptionId }: SubscriptionParams,
    @Body() body: RotateSigningSecretDto,
    @Ctx() ctx: RequestContext,
  ) {
    const { signingSecret, previousExpiresAt } = await this.subscriptions.rotateSigningSecret(
      envId,
      subscriptionId,
      body.previousExpiresAt,
      ctx,
    );
    return this.present.signingSecret({ id: subscriptionId, environmentId: envId }, signingSecret, previousExpiresAt);
  }
}
