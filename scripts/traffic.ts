/**
 * One kind of client traffic, in a process of its own so that its work never delays the
 * process that measures (autocannon parses every response it counts). Used by the fair-use
 * benchmark (`npm run bench:abuse`) and the load tier (test/load).
 *
 *   node dist/scripts/traffic.js '<JSON of TrafficPlan>'
 *
 * Prints one JSON line, a {@link TrafficResult}, when done. Sends only to the URL given
 * (127.0.0.1 in both users), for a bounded time, and stops by itself.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';

export interface TrafficPlan {
  url: string;
  /** The JSON body of every request (a GraphQL POST). */
  body?: string;
  /** Instead of a body: GET these paths of `url`'s origin, each connection in turn. */
  paths?: string[];
  /** With `paths`: add a parameter of its own to each request, so no cache can answer it. */
  distinctUrls?: boolean;
  connections: number;
  seconds: number;
  /**
   * X-Forwarded-For of each connection: one address for all (one client), or a distinct
   * address per connection (as many clients), from 198.18.0.0/15, the benchmarking range.
   */
  addresses: { kind: 'one'; address: string } | { kind: 'distinct'; prefix: string };
  /** Requests per second over all connections; unset: as fast as they are answered. */
  rate?: number;
}

export interface TrafficResult {
  requests: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; max: number };
}

export function runTraffic(plan: TrafficPlan): Promise<TrafficResult> {
  let connection = 0;
  let sent = 0;
  return new Promise((resolve, reject) => {
    void autocannon(
      {
        url: plan.url,
        ...(plan.paths
          ? {
              requests: plan.paths.map((path) => ({
                method: 'GET' as const,
                path,
                ...(plan.distinctUrls
                  ? {
                      setupRequest: (request: autocannon.Request) => ({
                        ...request,
                        path: `${path}${path.includes('?') ? '&' : '?'}nocache=${(sent += 1)}`,
                      }),
                    }
                  : {}),
              })),
            }
          : { method: 'POST' as const, body: plan.body }),
        connections: plan.connections,
        duration: plan.seconds,
        timeout: 30,
        ...(plan.rate ? { overallRate: plan.rate } : {}),
        setupClient(client) {
          connection += 1;
          const address =
            plan.addresses.kind === 'one'
              ? plan.addresses.address
              : `${plan.addresses.prefix}.${connection}`;
          client.setHeaders(
            plan.paths
              ? { accept: 'text/html', 'x-forwarded-for': address }
              : { 'content-type': 'application/json', 'x-forwarded-for': address },
          );
        },
      },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const statuses: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
          statuses[code] = (stat as { count: number }).count;
        resolve({
          requests: result.requests.total,
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
          latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
        });
      },
    );
  });
}

if (require.main === module) {
  runTraffic(JSON.parse(process.argv[2]) as TrafficPlan)
    .then((result) => process.stdout.write(JSON.stringify(result) + '\n'))
    .catch((error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    });
}

/** Runs `plan` in a child process (the compiled `dist/scripts/traffic.js` at `script`). */
export function spawnTraffic(script: string, plan: TrafficPlan): Promise<TrafficResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(plan)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as TrafficResult)
        : reject(new Error(`traffic exited with ${code}: ${err}`)),
    );
  });
}

/** The p-th percentile of ascending `sorted`. */
export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * Probes `url` as a load balancer would, every 20 ms from `startAfterMs` on, until `until`
 * settles: the latencies in ms (ascending), and every answer that was not 200.
 */
export async function probeHealth(
  url: string,
  until: Promise<unknown>,
  startAfterMs = 0,
): Promise<{ latencies: number[]; failures: string[] }> {
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, startAfterMs));
  const latencies: number[] = [];
  const failures: string[] = [];
  while (!done) {
    const started = performance.now();
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.text();
    latencies.push(performance.now() - started);
    if (res.status !== 200) failures.push(`HTTP ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { latencies: latencies.sort((a, b) => a - b), failures };
}
