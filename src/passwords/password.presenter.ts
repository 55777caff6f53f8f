import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { userHref } from '../users/index.js';
import type { PasswordStateResponse } from './dto/password.response.js';
import type { PasswordResult } from './passwords.service.js';

/** PingOne's "user password" resource: the state, never the password or its hash. */
@Injectable()
export class PasswordPresenter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  state({ user, view, policy }: PasswordResult): PasswordStateResponse {
    const base = this.config.publicBaseUrl;
    const self = userHref(base, user.environmentId, user.id);
    const environment = `${base}/v1/environments/${user.environmentId}`;
    return {
      _links: {
        self: { href: `${self}/password` },
        user: { href: self },
        environment: { href: environment },
        ...(policy.id ? { passwordPolicy: { href: `${environment}/passwordPolicies/${policy.id}` } } : {}),
      },
      environment: { id: user.environmentId },
      user: { id: user.id },
      ...(policy.id ? { passwordPolicy: { id: policy.id } } : {}),
      status: view.status,
      ...(view.lastChangedAt ? { lastChangedAt: view.lastChangedAt.toISOString() } : {}),
      ...(view.secondsUntilUnlock !== undefined ? { secondsUntilUnlock: view.secondsUntilUnlock } : {}),
      ...(view.failuresRemaining !== undefined ? { failuresRemaining: view.failuresRemaining } : {}),
    };
  }
}
