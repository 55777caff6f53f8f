import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Why a webhook URL may not be called; the message is safe to show to the subscription's admin. */
export class UnsafeWebhookTarget extends Error {}

export interface ResolvedTarget {
  url: URL;
  /** The address the request is sent to: the one that was checked, so a second lookup cannot swap it. */
  address: string;
  family: 4 | 6;
}

type Lookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;
const lookupAll: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * The URL of a webhook, if it may be one: `https://` only, no credentials in it. With
 * `allowInsecure` (WEBHOOK_ALLOW_INSECURE_TARGETS, for local development) `http://` is allowed too.
 */
export function webhookUrl(raw: string, allowInsecure: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookTarget('must be an absolute URL');
  }
  const schemes = allowInsecure ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw new UnsafeWebhookTarget('must be an https:// URL');
  if (url.username || url.password) throw new UnsafeWebhookTarget('must not contain credentials (use httpEndpoint.headers)');
  return url;
}

/**
 * Resolves the URL's host and refuses it unless every address it resolves to is a public unicast
 * address: no loopback, private, link-local (which holds cloud metadata services at
 * 169.254.169.254), carrier-grade NAT, unique-local, multicast, reserved or unspecified address.
 * Called when a subscription is saved and again before every delivery, so a name that later
 * resolves somewhere private (DNS rebinding) is refused then; the request then connects to the
 * address checked here. `allowInsecure` lifts the address rule.
 */
export async function resolveWebhookTarget(url: URL, allowInsecure: boolean, lookup: Lookup = lookupAll): Promise<ResolvedTarget> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: Array<{ address: string; family: number }>;
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = await lookup(host);
    } catch {
      throw new UnsafeWebhookTarget(`the host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new UnsafeWebhookTarget(`the host ${host} does not resolve`);
  if (!allowInsecure) {
    for (const { address } of addresses) {
      const range = ipaddr.process(address).range();
      if (range !== 'unicast') throw new UnsafeWebhookTarget(`the host ${host} resolves to a ${range} address, which is not allowed`);
    }
  }
  const [first] = addresses as [{ address: string; family: number }];
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
