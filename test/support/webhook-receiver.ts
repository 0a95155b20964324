import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface Received {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
}

/**
 * What the receiver does with a request: answer with a status, or hold it open (never
 * answer) until the test ends.
 */
export type Behaviour = (req: Received) => number | 'hang' | Promise<number>;

/** A real HTTP server on loopback that records every webhook it receives. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Requests being handled right now, by webhook-id (to see two at once). */
  readonly inFlight = new Map<string, number>();
  maxConcurrentPerId = 0;
  behaviour: Behaviour = () => 204;
  private readonly held: ServerResponse[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => void receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path = '/hooks'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  ofType(type: string): Received[] {
    return this.received.filter((r) => r.json.type === type);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => String(req.headers[name] ?? '');
    const got: Received = {
      path: req.url ?? '',
      id: header('webhook-id'),
      timestamp: header('webhook-timestamp'),
      signature: header('webhook-signature'),
      body,
      json: JSON.parse(body) as Received['json'],
    };
    this.received.push(got);
    const now = (this.inFlight.get(got.id) ?? 0) + 1;
    this.inFlight.set(got.id, now);
    this.maxConcurrentPerId = Math.max(this.maxConcurrentPerId, now);
    const release = () => this.inFlight.set(got.id, this.inFlight.get(got.id)! - 1);
    const outcome = await this.behaviour(got);
    if (outcome === 'hang') {
      this.held.push(res);
      res.on('close', release);
      return;
    }
    release();
    res.writeHead(outcome).end();
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * An independent check of a Standard Webhooks signature, with node:crypto only (not the
 * library the service signs with): HMAC-SHA256 of "id.timestamp.body" keyed with the
 * base64-decoded secret, compared with each `v1,` signature in the header.
 */
export function signatureIsValid(secret: string, got: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${got.id}.${got.timestamp}.${got.body}`)
    .digest();
  return got.signature.split(' ').some((part) => {
    const [version, signature] = part.split(',');
    const actual = Buffer.from(signature ?? '', 'base64');
    return (
      version === 'v1' && actual.length === expected.length && timingSafeEqual(actual, expected)
    );
  });
}
