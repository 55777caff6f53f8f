import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { resolveWebhookTarget, UnsafeWebhookTarget } from './webhook-target.js';

export interface WebhookRequest {
  url: string;
  /** The subscription's own headers (credentials of the receiver, often). */
  headers: Record<string, string>;
  verifyTlsCertificates: boolean;
  /** Standard Webhooks secrets (`whsec_...`): the current one, and the previous one during a rotation's overlap. */
  signingSecrets: string[];
  /** The event's id: `webhook-id`, the same on every attempt, so receivers can drop duplicates. */
  eventId: string;
  /** The request body, exactly as signed. */
  body: string;
}

export interface WebhookLimits {
  allowInsecureTargets: boolean;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
}

/** A delivery that did not get a 2xx; the message says why, for the subscription's status. */
export class DeliveryFailed extends Error {}

const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = 'identity-user-service-webhooks';

/**
 * One POST of one delivery: the target is checked (and resolved) again, the request connects to
 * the checked address, carries the Standard Webhooks signature, is not redirected, and fails on a
 * connect or response timeout. Resolves on a 2xx; anything else throws DeliveryFailed.
 */
export async function sendWebhook(request: WebhookRequest, limits: WebhookLimits): Promise<number> {
  let target;
  try {
    target = await resolveWebhookTarget(new URL(request.url), limits.allowInsecureTargets);
  } catch (error) {
    if (error instanceof UnsafeWebhookTarget) throw new DeliveryFailed(`target refused: ${error.message}`);
    throw error;
  }
  const timestamp = new Date();
  const signature = request.signingSecrets.map((secret) => new Webhook(secret).sign(request.eventId, timestamp, request.body)).join(' ');
  const headers = {
    ...request.headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(request.body)),
    'user-agent': USER_AGENT,
    'webhook-id': request.eventId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
  // The connection goes to the address that was checked, whatever a new lookup would answer.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const transport = target.url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const fail = (reason: string) => {
      req.destroy();
      reject(new DeliveryFailed(reason));
    };
    const connectTimer = setTimeout(() => fail(`no connection within ${limits.connectTimeoutMs} ms`), limits.connectTimeoutMs);
    let responseTimer: NodeJS.Timeout | undefined;
    const req = transport.request(target.url, {
      method: 'POST',
      headers,
      lookup,
      agent: false,
      rejectUnauthorized: request.verifyTlsCertificates,
      servername: target.url.hostname,
    });
    req.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        responseTimer = setTimeout(() => fail(`no answer within ${limits.responseTimeoutMs} ms`), limits.responseTimeoutMs);
      };
      if (!socket.connecting) connected();
      else socket.once(target.url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    req.on('error', (error) => {
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
      reject(new DeliveryFailed(error.message));
    });
    req.on('response', (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) response.destroy();
      });
      response.on('close', () => {
        clearTimeout(responseTimer);
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(status);
        else if (status >= 300 && status < 400) reject(new DeliveryFailed(`answered ${status}: redirects are not followed`));
        else reject(new DeliveryFailed(`answered ${status}`));
      });
      response.resume();
    });
    req.end(request.body);
  });
}
