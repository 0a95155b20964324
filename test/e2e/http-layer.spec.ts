import { IncomingMessage, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { AuditRepository } from '../../src/audit/audit.repository';
import { Lifecycle } from '../../src/health/lifecycle';
import { ADMIN_KEY, TestApp } from '../support/test-app';

/**
 * What the HTTP layer itself owes every route, whichever framework carries it (issue #13
 * moved it from Express to Fastify): response headers, the drain before shutdown, CSRF
 * prevention, bodies refused early, rate limits before the body, and the audit export's
 * backpressure.
 */

/** The port a test app listens on (supertest would listen anew for every request). */
async function portOf(t: TestApp): Promise<number> {
  const server = t.app.getHttpServer();
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

interface Sent {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  /** Written in pieces, without a content-length (chunked), when an array. */
  body?: string | string[];
}

/** One request on a connection of its own; resolves with the response, body read whole. */
function send(port: number, sent: Sent): Promise<{ res: IncomingMessage; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: sent.method ?? 'GET',
        path: sent.path,
        headers: sent.headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ res, text }));
        res.on('error', reject);
      },
    );
    // A server that answers before reading the body may close the connection while it is
    // still being written: the answer is what counts.
    req.on('error', (error) => (error as { code?: string }).code !== 'EPIPE' && reject(error));
    if (Array.isArray(sent.body)) {
      for (const piece of sent.body) req.write(piece);
      req.end();
    } else req.end(sent.body);
  });
}

const COUNTRIES = JSON.stringify({ query: '{ hostCountries { code } }' });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('the HTTP layer', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await TestApp.start({ BODY_LIMIT_BYTES: '4096' });
    port = await portOf(t);
  });
  afterAll(() => t.close());

  it('does not say which framework serves it (no x-powered-by)', async () => {
    const graphql = await send(port, {
      method: 'POST',
      path: '/graphql',
      headers: JSON_TYPE,
      body: COUNTRIES,
    });
    expect(graphql.res.statusCode).toBe(200);
    expect(graphql.res.headers['x-powered-by']).toBeUndefined();
    const health = await send(port, { path: '/health' });
    expect(health.res.headers['x-powered-by']).toBeUndefined();
  });

  it('refuses an oversize body sent in chunks, without a content-length, with 413 in the GraphQL error shape', async () => {
    const { res, text } = await send(port, {
      method: 'POST',
      path: '/graphql',
      headers: JSON_TYPE,
      body: ['{"query": "{ hostCountries { code } }", "x": "', ...Array(10).fill('y'.repeat(1000))],
    });
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('keeps Apollo’s CSRF prevention: a simple request (text/plain POST, GET without a preflight header) is refused before it runs', async () => {
    const before = await t.auditCount();
    const plain = await send(port, {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({
        query: `mutation { registerHostCountry(input: { code: "FJI", name: "Fiji", reason: "csrf" }) { code } }`,
      }),
    });
    expect(plain.res.statusCode).toBe(400);
    expect(JSON.parse(plain.text)).not.toHaveProperty('data');
    expect(plain.text).toMatch(/Cross-Site Request Forgery/);
    const get = await send(port, {
      path: '/graphql?query=%7B%20hostCountries%20%7B%20code%20%7D%20%7D',
    });
    expect(get.res.statusCode).toBe(400);
    expect(get.text).toMatch(/Cross-Site Request Forgery/);
    expect(await t.auditCount()).toBe(before);
  });

  it('while draining before shutdown: /health is 503, requests are still served, and every response asks the client to close the connection', async () => {
    const own = await TestApp.start();
    try {
      const ownPort = await portOf(own);
      const ready = await send(ownPort, { path: '/health', headers: { connection: 'keep-alive' } });
      expect(ready.res.statusCode).toBe(200);
      expect(ready.res.headers.connection).toBe('keep-alive');

      own.app.get(Lifecycle).startDraining();
      const health = await send(ownPort, {
        path: '/health',
        headers: { connection: 'keep-alive' },
      });
      expect(health.res.statusCode).toBe(503);
      expect(JSON.parse(health.text)).toEqual({ status: 'draining', database: 'up' });
      expect(health.res.headers.connection).toBe('close');
      const served = await send(ownPort, {
        method: 'POST',
        path: '/graphql',
        headers: { ...JSON_TYPE, connection: 'keep-alive' },
        body: COUNTRIES,
      });
      expect(served.res.statusCode).toBe(200);
      expect(JSON.parse(served.text)).toEqual({ data: { hostCountries: [] } });
      expect(served.res.headers.connection).toBe('close');
    } finally {
      await own.close();
    }
  });
});

describe('the HTTP layer under rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ RATE_LIMIT_ANONYMOUS: '2', TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  it('refuses a client over its budget before reading the body: 429 while the body is still being sent', async () => {
    const port = await portOf(t);
    const headers = { ...JSON_TYPE, 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 2; i++) {
      const ok = await send(port, { method: 'POST', path: '/graphql', headers, body: COUNTRIES });
      expect(ok.res.statusCode).toBe(200);
    }
    const linesBefore = t.logLines.length;
    // Announces a body it never finishes sending: only an answer that does not wait for it
    // can arrive.
    const answer = await new Promise<{ status?: number; retryAfter?: string; text: string }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/graphql',
            headers: { ...headers, 'content-length': 100_000 },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => {
              req.destroy();
              resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'], text });
            });
          },
        );
        req.on('error', reject);
        req.write('{"query": "');
      },
    );
    expect(answer.status).toBe(429);
    expect(answer.retryAfter).toMatch(/^\d+$/);
    expect(JSON.parse(answer.text).errors[0].extensions.code).toBe('RATE_LIMITED');
    // Refused requests are not access-logged (the first refusal is logged as a warning).
    const lines = t.logLines.slice(linesBefore).map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(['rate limit reached']);
  });
});

describe('the audit export streams with backpressure', () => {
  let t: TestApp;
  let total: number;
  beforeAll(async () => {
    t = await TestApp.start();
    // Rows straight into the table (not chained: only the streaming is under test), after the
    // bootstrap administrator's event: 12 batches of the export's 5,000, about 4 MB each.
    const [{ n }] = await t.sql<{ n: number }>('SELECT max(seq)::int AS n FROM audit_event');
    await t.sql(
      `INSERT INTO audit_event (seq, occurred_at, actor_name, actor_role, action, entity_type,
         entity_id, reason, changes, prev_hash, hash)
       SELECT s, now(), 'system', 'SYSTEM', 'UPDATE', 'NdcSector', 'entity-' || s,
              repeat('a reason long enough to fill the buffers ', 20), '[]'::jsonb,
              lpad(to_hex(s - 1), 64, '0'), lpad(to_hex(s), 64, '0')
         FROM generate_series($1::int + 1, $1::int + 60000) AS s`,
      [n],
    );
    total = n + 60_000;
  });
  afterAll(() => t.close());

  /** Opens the export and stops reading it at once; the caller resumes or abandons it. */
  const openPaused = async (port: number) =>
    new Promise<{ res: IncomingMessage; destroy: () => void }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/audit/export',
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        },
        (res) => {
          res.pause();
          resolve({ res, destroy: () => req.destroy() });
        },
      );
      req.on('error', reject);
      req.end();
    });

  const settle = () => new Promise((r) => setTimeout(r, 1000));

  it('reads the log no faster than the client takes it, and all of it once the client reads', async () => {
    const port = await portOf(t);
    const reads = jest.spyOn(AuditRepository.prototype as any, 'eventsAfter');
    try {
      const { res } = await openPaused(port);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      // Wait until the reads stop while the client does not read: on a busy machine the
      // buffers take more than a second to fill. Without backpressure they never stop before
      // the whole log is read (13 reads).
      let whilePaused = -1;
      for (let second = 0; second < 15; second++) {
        await settle();
        if (reads.mock.calls.length === whilePaused) break;
        whilePaused = reads.mock.calls.length;
      }
      // The sockets' buffers hold a batch and the next is read ahead (3 reads here): of 13
      // reads, at least 8 wait for the client.
      expect(whilePaused).toBeLessThanOrEqual(5);
      await settle();
      expect(reads.mock.calls.length).toBe(whilePaused);

      let lines = 0;
      let last = '';
      res.setEncoding('utf8');
      res.resume();
      for await (const chunk of res as AsyncIterable<string>) {
        const text = last + chunk;
        const parts = text.split('\n');
        last = parts.pop()!;
        lines += parts.length;
      }
      expect(last).toBe('');
      expect(lines).toBe(total);
    } finally {
      reads.mockRestore();
    }
  });

  it('stops reading the log when the client goes away', async () => {
    const port = await portOf(t);
    const reads = jest.spyOn(AuditRepository.prototype as any, 'eventsAfter');
    try {
      const { destroy } = await openPaused(port);
      await settle();
      destroy();
      await settle();
      const afterClose = reads.mock.calls.length;
      expect(afterClose).toBeLessThanOrEqual(5);
      await settle();
      expect(reads.mock.calls.length).toBe(afterClose);
      // The service goes on serving.
      expect((await t.http.get('/health')).status).toBe(200);
    } finally {
      reads.mockRestore();
    }
  });
});
