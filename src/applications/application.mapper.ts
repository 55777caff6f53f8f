import type { Application, ApplicationSecrets } from './application.js';
import type { ApplicationResponse, ApplicationSecretResponse } from './dto/application.response.js';

export function applicationHref(baseUrl: string, environmentId: string, applicationId: string): string {
  return `${baseUrl}/v1/environments/${environmentId}/applications/${applicationId}`;
}

/**
 * PingOne's HAL representation of a worker application. It never carries the secret, its hash or
 * its ciphertext: those are read at `_links.secret`, under their own permission.
 */
export function toApplicationResource(app: Application, baseUrl: string): ApplicationResponse {
  const self = applicationHref(baseUrl, app.environmentId, app.id);
  return {
    _links: {
      self: { href: self },
      environment: { href: `${baseUrl}/v1/environments/${app.environmentId}` },
      secret: { href: `${self}/secret` },
      roleAssignments: { href: `${self}/roleAssignments` },
    },
    id: app.id,
    environment: { id: app.environmentId },
    name: app.name,
    ...(app.description !== null ? { description: app.description } : {}),
    enabled: app.enabled,
    type: 'WORKER' as const,
    protocol: 'OPENID_CONNECT' as const,
    tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' as const,
    grantTypes: ['CLIENT_CREDENTIALS' as const],
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
  };
}

/** PingOne's application secret resource; `previous` only while the previous secret still works. */
export function toSecretResource(secrets: ApplicationSecrets, baseUrl: string): ApplicationSecretResponse {
  const application = applicationHref(baseUrl, secrets.environmentId, secrets.applicationId);
  const previous = secrets.previous;
  return {
    _links: { self: { href: `${application}/secret` }, application: { href: application } },
    environment: { id: secrets.environmentId },
    secret: secrets.secret,
    ...(previous
      ? {
          previous: {
            secret: previous.secret,
            expiresAt: previous.expiresAt.toISOString(),
            ...(previous.lastUsedAt ? { lastUsed: previous.lastUsedAt.toISOString() } : {}),
          },
        }
      : {}),
  };
}
