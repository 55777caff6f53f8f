import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../common/authorization/permissions.js';
import { RequirePermission } from '../common/authorization/require-permission.decorator.js';
import { Ctx, type RequestContext } from '../common/context/request-context.js';
import { Consumes } from '../common/http/consumes.decorator.js';
import { MediaTypes } from '../common/http/media-types.js';
import { ApiPingOneError } from '../common/openapi/api-errors.decorator.js';
import { EnvironmentParams } from '../common/params/path-params.js';
import { RotateSigningSecretDto, SubscriptionBodyDto, SubscriptionParams } from './dto/subscription.dto.js';
import {
  DeliveryStatusResponse,
  SigningSecretResponse,
  SubscriptionListResponse,
  SubscriptionResponse,
} from './dto/subscription.response.js';
import { SubscriptionPresenter } from './subscription.presenter.js';
import { SubscriptionsService } from './subscriptions.service.js';

const NOT_FOUND = 'No such subscription in the environment.';

/** A signing secret in a response must not be kept by a browser, proxy or CDN. */
const NO_STORE = ['Cache-Control', 'no-store'] as const;

/** PingOne's webhook subscriptions (docs/events.md), with the service's signing secret and delivery status. */
@ApiTags('Subscriptions')
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
  @ApiOperation({ summary: 'Create a webhook subscription (its signing secret is in the answer, once)' })
  @ApiCreatedResponse({ type: SubscriptionResponse })
  @ApiPingOneError(403, 'The token may not create subscriptions, or the environment has 50 already (detail LICENSE_EXCEEDED).')
  async create(
    @Param() { envId }: EnvironmentParams,
    @Body() body: SubscriptionBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscriptionResponse> {
    const { subscription, signingSecret } = await this.subscriptions.create(envId, body, ctx);
    return this.present.subscription(subscription, await this.subscriptions.headers(subscription), signingSecret);
  }

  @Get()
  @RequirePermission(Permissions.READ_SUBSCRIPTION)
  @ApiOperation({ summary: 'List webhook subscriptions' })
  @ApiOkResponse({ type: SubscriptionListResponse })
  async list(@Param() { envId }: EnvironmentParams): Promise<SubscriptionListResponse> {
    const items = await this.subscriptions.list(envId);
    return this.present.list(
      envId,
      await Promise.all(items.map(async (s) => this.present.subscription(s, await this.subscriptions.headers(s)))),
    );
  }

  @Get(':subscriptionId')
  @RequirePermission(Permissions.READ_SUBSCRIPTION)
  @ApiOperation({ summary: 'Read a webhook subscription' })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async get(@Param() { envId, subscriptionId }: SubscriptionParams): Promise<SubscriptionResponse> {
    const subscription = await this.subscriptions.get(envId, subscriptionId);
    return this.present.subscription(subscription, await this.subscriptions.headers(subscription));
  }

  @Put(':subscriptionId')
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_SUBSCRIPTION)
  @ApiOperation({ summary: 'Replace a webhook subscription (its signing secret and delivery position stay)' })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async replace(
    @Param() { envId, subscriptionId }: SubscriptionParams,
    @Body() body: SubscriptionBodyDto,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscriptionResponse> {
    const subscription = await this.subscriptions.replace(envId, subscriptionId, body, ctx);
    return this.present.subscription(subscription, await this.subscriptions.headers(subscription));
  }

  @Delete(':subscriptionId')
  @HttpCode(204)
  @RequirePermission(Permissions.DELETE_SUBSCRIPTION)
  @ApiOperation({ summary: 'Delete a webhook subscription' })
  @ApiNoContentResponse({ description: 'Deleted; nothing more is delivered to it.' })
  @ApiPingOneError(404, NOT_FOUND)
  async delete(@Param() { envId, subscriptionId }: SubscriptionParams, @Ctx() ctx: RequestContext): Promise<void> {
    await this.subscriptions.delete(envId, subscriptionId, ctx);
  }

  /** What delivery to this subscription looks like now: backlog, oldest undelivered event, last error, next attempt. */
  @Get(':subscriptionId/deliveryStatus')
  @RequirePermission(Permissions.READ_SUBSCRIPTION)
  @ApiOperation({ summary: "A subscription's delivery: backlog, oldest undelivered event, last error, next attempt" })
  @ApiOkResponse({ type: DeliveryStatusResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async deliveryStatus(@Param() { envId, subscriptionId }: SubscriptionParams): Promise<DeliveryStatusResponse> {
    const subscription = await this.subscriptions.get(envId, subscriptionId);
    return this.present.deliveryStatus(subscription, await this.subscriptions.deliveryStatus(envId, subscriptionId));
  }

  /** A new signing secret, shown this once; the previous one keeps signing until `previous.expiresAt`. */
  @Post(':subscriptionId/signingSecret')
  @HttpCode(200)
  @Header(...NO_STORE)
  @Consumes(MediaTypes.JSON)
  @RequirePermission(Permissions.UPDATE_SUBSCRIPTION)
  @ApiOperation({ summary: "Rotate a subscription's signing secret (the new one is in the answer, once)" })
  @ApiBody({ type: RotateSigningSecretDto, required: false })
  @ApiOkResponse({ type: SigningSecretResponse })
  @ApiPingOneError(404, NOT_FOUND)
  async rotateSigningSecret(
    @Param() { envId, subscriptionId }: SubscriptionParams,
    @Body() body: RotateSigningSecretDto,
    @Ctx() ctx: RequestContext,
  ): Promise<SigningSecretResponse> {
    const { signingSecret, previousExpiresAt } = await this.subscriptions.rotateSigningSecret(
      envId,
      subscriptionId,
      body.previousExpiresAt,
      ctx,
    );
    return this.present.signingSecret({ id: subscriptionId, environmentId: envId }, signingSecret, previousExpiresAt);
  }
}
