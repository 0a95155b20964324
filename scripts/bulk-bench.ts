/* eslint-disable no-console -- a benchmark prints its figures */
// `npm run bench:bulk`: the figures issue #16 names, measured against the compiled service on
// a scratch database (127.0.0.1 only, bounded in size, stops by itself):
// - importing 300 entries (CSV through the importEntries mutation), dry run and for real;
// - the portfolio check of 10,000 rows (POST /eligibility/portfolio) against
//   checkEligibilityBatch's questions per second on the same questions, one client each;
// - the service's resident memory during portfolios of 10,000, 50,000 and 100,000 rows (flat memory
//   means the larger ones peak no higher than the first, give or take the allocator).
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { BENCH_ADMIN_KEY, benchCountry, benchGql as gql, startBenchService } from './bench-service';
import { scratchDatabase } from './scratch-database';

const entryRow = (i: number) =>
  [
    `GHA-BENCH-${String(i).padStart(4, '0')}`,
    'POSITIVE',
    `Benchmark activity ${i}`,
    `technology ${i % 20}; storage`,
    'ENERGY',
    'CONDITIONAL',
    'Beyond the NDC',
    'CDM ACM0002',
    'capacityMW',
    'LTE',
    String(10 + (i % 90)),
    'MW',
    'BAU_DOWNWARD_ADJUSTED',
    '0.8',
    'tCO2e/MWh',
    '2025',
    '10',
    '1',
    'EX_ANTE',
  ].join(',');
const ENTRY_HEADER =
  'key,kind,name,technologies,sectorCodes,ndcComponent,additionalityRationale,methodologies,' +
  'criterion1.parameter,criterion1.operator,criterion1.threshold,criterion1.unit,' +
  'baseline.approach,baseline.referenceValue,baseline.unit,baseline.referenceYear,' +
  'baseline.initialAdjustmentPct,baseline.annualTighteningPct,baseline.parameterValidation';

const question = (i: number) => ({
  hostCountry: 'GHA',
  activityKey: `GHA-BENCH-${String(i % 300).padStart(4, '0')}`,
  parameters: [{ name: 'capacityMW', number: i % 120 }],
  baselineYear: 2030,
});

/** Resident memory of a process in MB, from /proc (Linux). */
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** POSTs a portfolio of `rows` rows, sampling the service's RSS; resolves rows/s and peak MB. */
function portfolio(base: string, rows: number, pid: number) {
  return new Promise<{ perSecond: number; peakMb: number; answered: number }>((resolve, reject) => {
    const started = performance.now();
    let peakMb = rssMb(pid);
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 50);
    const req = request(`${base}/eligibility/portfolio`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let lines = 0;
      res.on('data', (chunk: Buffer) => {
        for (const byte of chunk) if (byte === 10) lines += 1;
      });
      res.on('end', () => {
        clearInterval(sampler);
        const seconds = (performance.now() - started) / 1000;
        resolve({ perSecond: (lines - 1) / seconds, peakMb, answered: lines - 1 });
      });
    });
    // Written as it goes, so the upload itself never sits in the client's memory whole.
    req.write('project,hostCountry,activityKey,baselineYear,capacityMW\n');
    let i = 0;
    const more = () => {
      while (i < rows) {
        const q = question(i);
        const ok = req.write(`p${i},GHA,${q.activityKey},2030,${i % 120}\n`);
        i += 1;
        if (!ok) return void req.once('drain', more);
      }
      req.end();
    };
    more();
  });
}

async function main() {
  const database = await scratchDatabase('bulk_bench');
  const service = await startBenchService({
    DATABASE_URL: database.url,
    BOOTSTRAP_ADMIN_KEY: BENCH_ADMIN_KEY,
    RATE_LIMIT_ANONYMOUS: '0',
    RATE_LIMIT_AUTHENTICATED: '0',
  });
  const url = service.url;
  const base = url.replace(/\/graphql$/, '');
  try {
    const { official, approver } = await benchCountry(url);
    const draft = (
      await gql(
        url,
        `mutation($i: CreateDraftInput!) { createDraft(input: $i) { id } }`,
        {
          i: { hostCountry: 'GHA', title: 'bench', reason: 'bench' },
        },
        official,
      )
    ).createDraft.id as string;

    const content = [ENTRY_HEADER, ...Array.from({ length: 300 }, (_, i) => entryRow(i))].join(
      '\n',
    );
    const IMPORT = `mutation($i: ImportEntriesInput!) { importEntries(input: $i) { applied created refused { row } } }`;
    const timed = async (dryRun: boolean) => {
      const started = performance.now();
      const report = (
        await gql<{ importEntries: { applied: boolean; created: number; refused: unknown[] } }>(
          url,
          IMPORT,
          { i: { listVersionId: draft, content, dryRun, reason: 'bench' } },
          official,
        )
      ).importEntries;
      return { ms: performance.now() - started, report };
    };
    const dry = await timed(true);
    const real = await timed(false);
    console.log(`import of 300 entries (${(content.length / 1024).toFixed(0)} KB CSV):`);
    console.log(`  dry run   ${dry.ms.toFixed(0)} ms (${dry.report.refused.length} refused)`);
    console.log(
      `  for real  ${real.ms.toFixed(0)} ms (${real.report.created} created, applied ${real.report.applied})`,
    );

    await gql(
      url,
      `mutation($i: ListTransitionInput!) { submitDraft(input: $i) { id } }`,
      { i: { listVersionId: draft, reason: 'bench' } },
      official,
    );
    await gql(
      url,
      `mutation($i: PublishInput!) { publish(input: $i) { id } }`,
      {
        i: {
          listVersionId: draft,
          effectiveFrom: new Date().toISOString().slice(0, 10),
          reason: 'bench',
        },
      },
      approver,
    );

    // checkEligibilityBatch: 100 requests of 100 questions, one after another (one client).
    const BATCH = `query($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) { status listVersion { version } matches { entry { key } status baselineValue missingParameters criteria { outcome } } explanation } }`;
    const batches = Array.from({ length: 100 }, (_, b) =>
      Array.from({ length: 100 }, (_, i) => question(b * 100 + i)),
    );
    await gql(url, BATCH, { qs: batches[0] }); // warm
    const batchStart = performance.now();
    for (const qs of batches) await gql(url, BATCH, { qs });
    const batchRate = 10_000 / ((performance.now() - batchStart) / 1000);
    await portfolio(base, 1_000, service.child.pid!); // warm
    const small = await portfolio(base, 10_000, service.child.pid!);
    const large = await portfolio(base, 50_000, service.child.pid!);
    console.log('portfolio check vs checkEligibilityBatch (one client each, same questions):');
    console.log(`  checkEligibilityBatch   ${batchRate.toFixed(0)} questions/s`);
    console.log(
      `  portfolio 10,000 rows   ${small.perSecond.toFixed(0)} rows/s (${((small.perSecond / batchRate) * 100).toFixed(0)}% of the batch rate), service RSS peak ${small.peakMb.toFixed(0)} MB`,
    );
    console.log(
      `  portfolio 50,000 rows   ${large.perSecond.toFixed(0)} rows/s, service RSS peak ${large.peakMb.toFixed(0)} MB (answered ${large.answered})`,
    );
    // Flat memory, shown the hard way: the same service with a heap too small to hold a
    // large portfolio's rows or answers checks the largest file allowed.
    await service.stop();
    const capped = await startBenchService({
      DATABASE_URL: database.url,
      BOOTSTRAP_ADMIN_KEY: BENCH_ADMIN_KEY,
      RATE_LIMIT_ANONYMOUS: '0',
      NODE_OPTIONS: '--max-old-space-size=96',
    });
    try {
      const base96 = capped.url.replace(/\/graphql$/, '');
      const largest = await portfolio(base96, 100_000, capped.child.pid!);
      console.log(
        `  portfolio 100,000 rows on a 96 MB heap: ${largest.perSecond.toFixed(0)} rows/s, service RSS peak ${largest.peakMb.toFixed(0)} MB (answered ${largest.answered})`,
      );
    } finally {
      await capped.stop();
    }
  } finally {
    await service.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
