/* eslint-disable no-console -- a benchmark reports to its terminal */
/**
 * The portal's time to first byte (issue #14: under 50 ms p99 at 50 requests/s on the demo
 * data): the compiled service on a scratch database with the demo data, every public page
 * in turn at a fixed 50 requests/s for 20 s (open loop, from a forked load generator), no
 * `If-None-Match`, so every request renders its page. autocannon's latency is to the last
 * byte, so it bounds the time to the first from above.
 *
 *   npm run bench:portal           (BENCH_DATABASE_URL: the PostgreSQL server to use)
 *
 * Traffic goes to 127.0.0.1 only, and stops by itself.
 */
import { join } from 'node:path';
import { withDemoService } from './bench-service';
import { spawnTraffic } from './traffic';

const TRAFFIC = join(__dirname, 'traffic.js');

/** The pages a reader goes through, the heaviest included (a country's whole list). */
export const PORTAL_PAGES = [
  '/',
  '/countries/GHA',
  '/countries/KEN?lang=fr',
  '/countries/THA?lang=es',
  '/countries/GHA/versions',
  '/countries/GHA/versions/1',
  '/countries/GHA/entries/GHA-SOLAR-UTILITY',
  '/search?q=solar',
  '/eligibility?country=GHA&technology=solar+PV&p.capacityMW=20',
  '/transparency',
];

async function main(): Promise<void> {
  await withDemoService('plr_portal', { RATE_LIMIT_ANONYMOUS: '0' }, async (service) => {
    const origin = service.url.replace(/\/graphql$/, '');
    const statuses = await Promise.all(
      PORTAL_PAGES.map(async (path) => `${(await fetch(origin + path)).status} ${path}`),
    );
    console.log(`pages (status, path):\n  ${statuses.join('\n  ')}`);
    // Warm-up, then the measured run.
    await spawnTraffic(TRAFFIC, {
      url: origin,
      paths: PORTAL_PAGES,
      connections: 4,
      seconds: 3,
      rate: 50,
      addresses: { kind: 'one', address: '198.18.9.1' },
    });
    const measure = (distinctUrls: boolean) =>
      spawnTraffic(TRAFFIC, {
        url: origin,
        paths: PORTAL_PAGES,
        distinctUrls,
        connections: 8,
        seconds: 20,
        rate: 50,
        addresses: { kind: 'one', address: '198.18.9.2' },
      });
    // Readers of the same pages (built once per change, then kept under their ETag), then
    // every request a URL of its own, so that each one is built: the worst case.
    const run = await measure(false);
    const cold = await measure(true);
    console.log(
      `\n| 50 requests/s, 20 s, ${PORTAL_PAGES.length} pages in turn | p50 | p99 | max | responses |\n|---|---|---|---|---|`,
    );
    for (const [label, r] of [
      ['the same URLs (pages kept)', run],
      ['every URL new (every page built)', cold],
    ] as const) {
      console.log(
        `| ${label} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.latency.max} ms | ${r.requests} (${Object.entries(
          r.statuses,
        )
          .map(([code, n]) => `${n} × ${code}`)
          .join(', ')}) |`,
      );
    }
    console.log(
      `\nTarget: p99 under 50 ms: ${run.latency.p99 < 50 ? 'met' : 'NOT met'} (every page built: ${cold.latency.p99 < 50 ? 'met' : 'NOT met'})`,
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
