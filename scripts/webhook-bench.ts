/* eslint-disable no-console -- a benchmark reports to its terminal */
/**
 * Webhook delivery latency after commit (issue #16: p50 under 1 s). The compiled service on
 * a scratch database, one endpoint on a receiver on 127.0.0.1, and N registry changes one
 * after another (entry changes in a draft, and every 20th a submit and a publish of it). The
 * latency of each delivery is from the change's time, set in its transaction just before
 * the commit (the body's `timestamp`), to its arrival at the receiver: the same machine's
 * clock at both ends, and an upper bound on commit-to-receipt. Polling is left at its default
 * (5 s), so what is measured is the LISTEN/NOTIFY path.
 *
 *   npm run bench:webhooks [-- CHANGES]   (default 200; BENCH_DATABASE_URL: the server to use)
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { BENCH_ADMIN_KEY, benchCountry, benchGql, startBenchService } from './bench-service';
import { scratchDatabase } from './scratch-database';

const CHANGES = Number(process.argv[2] ?? 200);

/** The data of a mutation whose fields here are all strings (ids, keys). */
type Data = Record<string, Record<string, string>>;
const gql = (url: string, query: string, variables: object, key?: string) =>
  benchGql<Data>(url, query, variables, key);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const addDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const latencies: number[] = [];
  const types = new Map<string, number>();
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const arrived = Date.now();
      const event = JSON.parse(body) as { type: string; timestamp: string };
      latencies.push(arrived - Date.parse(event.timestamp));
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const database = await scratchDatabase('webhook_bench');
  const service = await startBenchService({
    DATABASE_URL: database.url,
    BOOTSTRAP_ADMIN_KEY: BENCH_ADMIN_KEY,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    RATE_LIMIT_AUTHENTICATED: '0',
  }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  try {
    const url = service.url;
    const { official, approver } = await benchCountry(url);
    await gql(
      url,
      'mutation($i: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $i) { secret } }',
      {
        i: {
          url: `http://127.0.0.1:${port}/hooks`,
          hostCountry: 'GHA',
          events: ['LIST_SUBMITTED', 'LIST_PUBLISHED', 'LIST_SUPERSEDED', 'DRAFT_ENTRY_CHANGED'],
          reason: 'bench',
        },
      },
    );
    const newDraft = async () =>
      (
        await gql(
          url,
          'mutation($i: CreateDraftInput!) { createDraft(input: $i) { id } }',
          { i: { hostCountry: 'GHA', title: 'bench', reason: 'bench' } },
          official,
        )
      ).createDraft.id;
    let draft = await newDraft();
    let published = 0;
    let expected = 0;
    for (let i = 0; i < CHANGES; i++) {
      if (i > 0 && i % 20 === 0) {
        const transition = { listVersionId: draft, reason: 'bench' };
        await gql(
          url,
          'mutation($i: ListTransitionInput!) { submitDraft(input: $i) { id } }',
          { i: transition },
          official,
        );
        published += 1;
        await gql(
          url,
          'mutation($i: PublishInput!) { publish(input: $i) { id } }',
          { i: { ...transition, effectiveFrom: addDays(published) } },
          approver,
        );
        expected += published > 1 ? 3 : 2; // submitted, published (and the one it supersedes)
        draft = await newDraft();
      }
      await gql(
        url,
        'mutation($i: AddEntryInput!) { addEntry(input: $i) { id } }',
        {
          i: {
            listVersionId: draft,
            entry: {
              key: `BENCH-${i}`,
              kind: 'NEGATIVE',
              name: `Bench entry ${i}`,
              technologies: ['bench'],
              sectorCodes: ['ENERGY'],
              ndcComponent: 'UNCONDITIONAL',
              criteria: [],
              methodologies: [],
            },
            reason: 'bench',
          },
        },
        official,
      );
      expected += 1;
    }
    const until = Date.now() + 30_000;
    while (latencies.length < expected && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`webhook deliveries received: ${latencies.length} of ${expected}`);
    console.log(`  by type: ${[...types].map(([t, n]) => `${t} ${n}`).join(', ')}`);
    console.log(
      `  change (just before commit) to receipt, ms: p50 ${percentile(sorted, 50)} / p95 ${percentile(sorted, 95)} / p99 ${percentile(sorted, 99)} / max ${sorted.at(-1)}`,
    );
  } finally {
    await service.stop();
    await database.drop();
    receiver.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
