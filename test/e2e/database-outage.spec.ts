import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';
import { createTestDatabase } from '../support/test-database';
import { ADMIN_KEY, REGISTER_COUNTRY, TestApp } from '../support/test-app';

/**
 * A TCP relay between the service and PostgreSQL that the test can cut: every connection is
 * dropped and new ones are refused, as when the database host goes away, then it listens again.
 */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

describe('when the database cannot be reached', () => {
  it('answers SERVICE_UNAVAILABLE with a retry hint (never INTERNAL_SERVER_ERROR), /health is 503, and it recovers by itself', async () => {
    const db = await createTestDatabase();
    const direct = new URL(db.url);
    const relay = new Relay({ host: direct.hostname, port: Number(direct.port || 5432) });
    await relay.open();
    const relayed = new URL(db.url);
    relayed.port = String(relay.port);
    const t = await TestApp.start({}, undefined, { ...db, url: relayed.toString() });
    try {
      const register = (code: string) =>
        t.gql(REGISTER_COUNTRY, { input: { code, name: code, reason: 'outage drill' } }, ADMIN_KEY);
      expect((await register('GHA')).errors).toBeUndefined();
      expect((await t.http.get('/health')).status).toBe(200);

      await relay.cut();
      for (const res of [
        await register('THA'),
        await t.gql('{ hostCountries { code } }'),
        await t.gql('{ me { name } }', {}, ADMIN_KEY),
      ]) {
        expect({ errors: res.errors?.map((e) => [e.extensions?.code, e.message]) }).toEqual({
          errors: [['SERVICE_UNAVAILABLE', expect.any(String)]],
        });
        expect((res.errors?.[0].extensions as Record<string, unknown>).retryAfterSeconds).toBe(5);
        expect(res.errors?.[0].message).toMatch(/database cannot be reached right now/);
        expect(JSON.stringify(res.errors)).not.toMatch(/ECONNREFUSED|Connection terminated|at /);
      }
      expect((await t.http.get('/health')).status).toBe(503);
      expect(t.logLines.some((l) => l.includes('database unreachable'))).toBe(true);

      await relay.open();
      let recovered = false;
      for (let i = 0; i < 50 && !recovered; i++) {
        recovered = (await t.http.get('/health')).status === 200;
        if (!recovered) await new Promise((r) => setTimeout(r, 200));
      }
      expect(recovered).toBe(true);
      expect((await register('THA')).errors).toBeUndefined();
      const codes = (await t.gql('{ hostCountries { code } }')).data.hostCountries.map(
        (c: { code: string }) => c.code,
      );
      expect(codes).toEqual(['GHA', 'THA']);
    } finally {
      await t.close();
      await relay.cut().catch(() => undefined);
    }
  });
});
