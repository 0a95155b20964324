import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';
import { isIP, LookupFunction } from 'node:net';
import { checkUrlForm, hostOf, isPublicAddress, resolveSafely } from './webhook-url';

/** One delivery as the sender needs it. */
export interface Outgoing {
  /** The `webhook-id`: the delivery's id, the same on every retry and replay. */
  id: string;
  url: string;
  secret: string;
  body: string;
}

/** What one attempt came to, for the delivery log. */
export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The Standard Webhooks headers of one attempt (the timestamp is the attempt's). */
export function signedHeaders(delivery: Outgoing, at: Date): Record<string, string> {
  // Whole seconds, as the header carries them, so that the signed timestamp is the sent one.
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'positive-list-registry-webhooks',
    'webhook-id': delivery.id,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': new Webhook(delivery.secret).sign(delivery.id, timestamp, delivery.body),
  };
}

/** At most this much of a response is read, for the log; the rest is discarded. */
const MAX_RESPONSE_BYTES = 4096;

/**
 * POSTs one signed delivery. The host is resolved and checked again now (it may point
 * elsewhere than at registration), inside the connection's own `lookup`, so the socket
 * connects to exactly the address that was checked: no second resolution a DNS-rebinding
 * server could answer differently. No redirect is followed. The whole attempt, from lookup
 * to the end of the response, is cut off at `timeoutMs`.
 */
export function sendDelivery(
  delivery: Outgoing,
  options: { allowedHosts: readonly string[]; timeoutMs: number; signal?: AbortSignal },
): Promise<AttemptOutcome> {
  const started = performance.now();
  const finish = (statusCode: number | null, error: string | null): AttemptOutcome => ({
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  let url: URL;
  let allowListed: boolean;
  try {
    ({ url, allowListed } = checkUrlForm(delivery.url, options.allowedHosts));
  } catch (error) {
    return Promise.resolve(finish(null, `refused: ${(error as Error).message}`));
  }
  // A literal address is connected to without any lookup: it is judged here.
  const host = hostOf(url);
  if (isIP(host) && !allowListed && !isPublicAddress(host)) {
    return Promise.resolve(finish(null, `refused: ${host} is not a public address`));
  }
  const checkedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolveSafely(hostname.toLowerCase(), allowListed).then(
      (addresses) => {
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: Error) => callback(Object.assign(error, { code: 'EUNSAFE' }), '', 0),
    );
  };
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const settle = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(finish(statusCode, error));
    };
    const requestOptions: RequestOptions = {
      method: 'POST',
      headers: signedHeaders(delivery, new Date()),
      lookup: checkedLookup,
      // A connection of its own: a pooled socket would skip the lookup (and the check).
      agent: false,
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      requestOptions,
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => {
          const status = res.statusCode ?? null;
          settle(
            status,
            status !== null && status >= 200 && status < 300 ? null : `HTTP ${status}`,
          );
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      settle(null, `timed out after ${options.timeoutMs} ms`);
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      settle(null, 'aborted: the instance is shutting down');
      req.destroy();
    };
    options.signal?.addEventListener('abort', onAbort);
    req.on('error', (error: Error & { code?: string }) =>
      settle(null, error.code === 'EUNSAFE' ? `refused: ${error.message}` : error.message),
    );
    req.end(delivery.body);
  });
}
