import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';

/** Why a URL or the address it resolves to may not receive webhooks; safe to show. */
export class UnsafeWebhookUrl extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeWebhookUrl';
  }
}

/** The host as compared with WEBHOOK_ALLOWED_HOSTS: lower case, IPv6 without brackets. */
export const hostOf = (url: URL): string => url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');

/**
 * Checks the form of an endpoint URL: https (http only for an allow-listed host), no
 * credentials in it. Returns the parsed URL and whether its host is allow-listed.
 */
export function checkUrlForm(
  raw: string,
  allowedHosts: readonly string[],
): { url: URL; allowListed: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookUrl('must be an absolute URL, e.g. https://example.org/hooks');
  }
  const allowListed = allowedHosts.includes(hostOf(url));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowListed)) {
    throw new UnsafeWebhookUrl(
      'must use https (plain http only for a host in WEBHOOK_ALLOWED_HOSTS, for local testing)',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new UnsafeWebhookUrl('must not carry a user name or password');
  }
  return { url, allowListed };
}

/**
 * Whether an address is on the public internet: ipaddr.js's `unicast` range, which leaves
 * out loopback, private, link-local, unique-local, carrier-grade NAT, multicast, reserved
 * and documentation ranges. An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as
 * the IPv4 address it is.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Every address `host` resolves to, refused unless each one is public (or the host is
 * allow-listed): an answer with one private address among public ones could be the one a
 * connection would use.
 */
export async function resolveSafely(
  host: string,
  allowListed: boolean,
): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => ({
        address: a.address,
        family: a.family as 4 | 6,
      }));
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'lookup failed';
      throw new UnsafeWebhookUrl(`its host ${host} does not resolve (${code})`);
    }
  }
  if (addresses.length === 0) throw new UnsafeWebhookUrl(`its host ${host} does not resolve`);
  if (!allowListed) {
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) {
      throw new UnsafeWebhookUrl(
        `its host ${host} resolves to ${blocked.address}, which is not a public address ` +
          '(loopback, private, link-local and other non-public ranges are refused)',
      );
    }
  }
  return addresses;
}

/** An endpoint URL as the audit trail shows it: without its query, which may hold a token. */
export function urlForAudit(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
  } catch {
    return raw;
  }
}
