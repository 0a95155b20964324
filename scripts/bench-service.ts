import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { scratchDatabase } from './scratch-database';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/** The bootstrap admin key of the benchmarks' services (scratch databases only). */
export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijklmnopqr';

/** The compiled service as its own process, for the benchmarks that load it from outside. */
export interface BenchService {
  child: ChildProcess;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** SIGTERM, and resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `dist/src/main.js` on a free port of 127.0.0.1 with `env` (DATABASE_URL included: the
 * caller's own is never inherited) and resolves once it logs `listening` (at info level).
 */
export function startBenchService(env: Record<string, string>): Promise<BenchService> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  const child = spawn(process.execPath, [MAIN], {
    env: { ...base, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg: string; graphql?: string };
      if (entry.msg !== 'listening') return;
      resolve({
        child,
        url: entry.graphql!,
        stop: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
  });
}

const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

/**
 * Runs `work` against the compiled service on a scratch database holding the demo data
 * (`seed-demo`), started with `env` on top of the database and the admin key; stops the
 * service and drops the database afterwards, whatever happens.
 */
export async function withDemoService<T>(
  databasePrefix: string,
  env: Record<string, string>,
  work: (service: BenchService) => Promise<T>,
): Promise<T> {
  const database = await scratchDatabase(databasePrefix);
  const full = { DATABASE_URL: database.url, BOOTSTRAP_ADMIN_KEY: BENCH_ADMIN_KEY, ...env };
  let service: BenchService | undefined;
  try {
    execFileSync(process.execPath, [CLI, 'seed-demo'], {
      env: { ...process.env, ...full },
      stdio: 'ignore',
    });
    service = await startBenchService(full);
    return await work(service);
  } finally {
    await service?.stop();
    await database.drop();
  }
}

/** One GraphQL operation against a bench service; throws on any error. */
export async function benchGql<T = Record<string, Record<string, unknown>>>(
  url: string,
  query: string,
  variables: object,
  key = BENCH_ADMIN_KEY,
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/**
 * The benchmarks' host country on an empty registry: Ghana with an ENERGY sector, an
 * official and an approver (their API keys).
 */
export async function benchCountry(url: string): Promise<{ official: string; approver: string }> {
  await benchGql(
    url,
    'mutation($i: RegisterHostCountryInput!) { registerHostCountry(input: $i) { code } }',
    { i: { code: 'GHA', name: 'Ghana', reason: 'bench' } },
  );
  await benchGql(
    url,
    'mutation($i: UpsertNdcSectorInput!) { upsertNdcSector(input: $i) { code } }',
    {
      i: {
        hostCountry: 'GHA',
        code: 'ENERGY',
        name: 'Energy',
        ipccSector: 'ENERGY',
        ipccCategories: ['1.A.1'],
        reason: 'bench',
      },
    },
  );
  const person = async (role: string) =>
    (
      await benchGql<{ createPrincipal: { apiKey: string } }>(
        url,
        'mutation($i: CreatePrincipalInput!) { createPrincipal(input: $i) { apiKey } }',
        { i: { name: `${role} bench`, role, hostCountry: 'GHA', reason: 'bench' } },
      )
    ).createPrincipal.apiKey;
  return { official: await person('OFFICIAL'), approver: await person('APPROVER') };
}
