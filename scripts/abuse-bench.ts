/* eslint-disable no-console -- a benchmark reports to its terminal */
/**
 * Fair use under abuse (issue #12): the compiled service, with its default limits, on a
 * scratch database with the demo data, faced at once by
 * - a flooder sending single eligibility questions as fast as 32 connections allow,
 * - a batch flooder sending batches of 100 questions on 16 connections,
 * - a client repeating the nested every-country, every-version, every-entry read,
 * all three from one address each, while a well-behaved client asks 10 questions a second
 * from its own address and a load balancer probes /health every 20 ms. First the same
 * well-behaved client and probes alone, for comparison.
 *
 *   npm run bench:abuse            (BENCH_DATABASE_URL: the PostgreSQL server to use)
 *
 * Prints a table: what share of each abuser's requests were refused, and the served
 * client's and /health's latency. Traffic goes to 127.0.0.1 only, for 12 s per phase.
 */
import { join } from 'node:path';
import { withDemoService } from './bench-service';
import { percentile, probeHealth, spawnTraffic, TrafficPlan, TrafficResult } from './traffic';

const TRAFFIC = join(__dirname, 'traffic.js');
const SECONDS = 12;

const question = (capacityMW: number) => ({
  hostCountry: 'GHA',
  activityKey: 'GHA-SOLAR-UTILITY',
  parameters: [{ name: 'capacityMW', number: capacityMW }],
  baselineYear: 2030,
});
const SINGLE = JSON.stringify({
  query: `query($q: EligibilityQuery!) { checkEligibility(query: $q) { status explanation matches { status baselineValue } } }`,
  variables: { q: question(12) },
});
const BATCH = JSON.stringify({
  query: `query($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) { status explanation matches { status baselineValue criteria { outcome actual } } } }`,
  variables: { qs: Array.from({ length: 100 }, (_, i) => question(1 + (i % 80))) },
});
const NESTED = JSON.stringify({
  query: `{ hostCountries { code listVersions { version entries { key kind name description technologies criteria { parameter operator threshold values unit } baseline { approach referenceValue unit } } } } }`,
});

const ms = (n: number) => `${n.toFixed(1)} ms`;
const refused = (r: TrafficResult) => {
  const limited = (r.statuses['429'] ?? 0) + (r.statuses['400'] ?? 0) + (r.statuses['503'] ?? 0);
  return `${r.requests} sent; ${r.statuses['200'] ?? 0} served, ${r.statuses['429'] ?? 0} × 429, ${r.statuses['400'] ?? 0} × 400, ${r.statuses['503'] ?? 0} × 503: ${((100 * limited) / Math.max(1, r.requests)).toFixed(1)} % refused`;
};

async function phase(url: string, abusers: TrafficPlan[], servedAddress: string) {
  const served = spawnTraffic(TRAFFIC, {
    url,
    body: SINGLE,
    connections: 2,
    seconds: SECONDS,
    rate: 10,
    addresses: { kind: 'one', address: servedAddress },
  });
  const abuse = Promise.all(abusers.map((plan) => spawnTraffic(TRAFFIC, plan)));
  const { latencies: health } = await probeHealth(url.replace(/\/graphql$/, '/health'), served);
  return { served: await served, abuse: await abuse, health };
}

async function main(): Promise<void> {
  await withDemoService(
    'plr_abuse',
    {
      // Each traffic kind names its client in X-Forwarded-For, as a proxy in front would.
      TRUST_PROXY: 'loopback',
    },
    async (service) => {
      const url = service.url;
      const alone = await phase(url, [], '198.18.1.1');
      const abusers: TrafficPlan[] = [
        {
          url,
          body: SINGLE,
          connections: 32,
          seconds: SECONDS,
          addresses: { kind: 'one', address: '198.18.2.1' },
        },
        {
          url,
          body: BATCH,
          connections: 16,
          seconds: SECONDS,
          addresses: { kind: 'one', address: '198.18.3.1' },
        },
        {
          url,
          body: NESTED,
          connections: 4,
          seconds: SECONDS,
          addresses: { kind: 'one', address: '198.18.4.1' },
        },
      ];
      const abused = await phase(url, abusers, '198.18.1.2');
      const row = (what: string, a: string, b: string) => console.log(`| ${what} | ${a} | ${b} |`);
      console.log(`\n| ${SECONDS} s, default limits | alone | under abuse |\n|---|---|---|`);
      for (const [label, p] of [['served client (10 questions/s)', 'served']] as const) {
        row(
          `${label}: p50 / p99`,
          `${ms(alone[p].latency.p50)} / ${ms(alone[p].latency.p99)}`,
          `${ms(abused[p].latency.p50)} / ${ms(abused[p].latency.p99)}`,
        );
        row(`${label}: answers`, refused(alone[p]), refused(abused[p]));
      }
      row(
        '/health every 20 ms: p50 / p99 / max',
        `${ms(percentile(alone.health, 50))} / ${ms(percentile(alone.health, 99))} / ${ms(alone.health[alone.health.length - 1])}`,
        `${ms(percentile(abused.health, 50))} / ${ms(percentile(abused.health, 99))} / ${ms(abused.health[abused.health.length - 1])}`,
      );
      const [flood, batches, nested] = abused.abuse;
      row('flooder, single questions, 32 connections', '', refused(flood));
      row('batch flooder, 100 questions, 16 connections', '', refused(batches));
      row('nested every-entry read, 4 connections', '', refused(nested));
    },
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
