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
