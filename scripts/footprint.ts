/* eslint-disable no-console -- a benchmark reports to its terminal */
/**
 * `npm run bench:footprint`: cold start and memory of the service in both database modes.
 *
 * For each mode it starts the compiled service on a fresh database (embedded: a new
 * DATA_DIR, so initdb and every migration run; server: a new database on the PostgreSQL of
 * BENCH_DATABASE_URL), loads the demo data with the CLI, starts it again on the same data
 * (reopened), then measures memory idle and while autocannon sends `checkEligibility` for
 * 10 s over 32 connections. Memory is the PSS (proportional set size, so shared pages are
 * counted once) of the service and, in embedded mode, of the PostgreSQL server and all its
 * backends, sampled every 250 ms (Linux only: /proc). Everything runs on 127.0.0.1 and stops
 * by itself.
 */
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { scratchDatabase } from './scratch-database';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ADMIN_KEY = 'footprint-admin-key-0123456789abcdefghijklmnop';

interface Running {
  child: ChildProcess;
  url: string;
  startupMs: number;
  serverPid: number;
}

function start(env: Record<string, string>): Promise<Running> {
  const began = process.hrtime.bigint();
  const base = { ...process.env };
  delete base.DATABASE_URL;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...base,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // The load comes from one address: per-address limits would measure themselves.
      RATE_LIMIT_ANONYMOUS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let serverPid = 0;
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg: string; graphql?: string; serverPid?: number };
      if (entry.serverPid) serverPid = entry.serverPid;
      if (entry.msg === 'listening') {
        const startupMs = Number(process.hrtime.bigint() - began) / 1e6;
        resolve({ child, url: entry.graphql!, startupMs, serverPid });
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
  });
}

async function stop(running: Running): Promise<void> {
  const exited = new Promise((r) => running.child.once('exit', r));
  running.child.kill('SIGTERM');
  await exited;
}

/** kB of PSS of one process, 0 if it is gone. */
function pss(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
}

/** MB of PSS: the service, and its PostgreSQL server with every backend. */
function memory(running: Running): { service: number; database: number } {
  const database = running.serverPid
    ? [running.serverPid, ...childrenOf(running.serverPid)].reduce((sum, p) => sum + pss(p), 0)
    : 0;
  return { service: pss(running.child.pid!) / 1024, database: database / 1024 };
}

async function underLoad(
  running: Running,
): Promise<{ rps: number; peak: { service: number; database: number } }> {
  const peak = { service: 0, database: 0 };
  const sampler = setInterval(() => {
    const m = memory(running);
    peak.service = Math.max(peak.service, m.service);
    peak.database = Math.max(peak.database, m.database);
  }, 250);
  const result = await autocannon({
    url: running.url,
    method: 'POST',
    connections: 32,
    duration: 10,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        '{ checkEligibility(query: { hostCountry: "GHA", activityKey: "GHA-SOLAR-UTILITY", parameters: [{ name: "capacityMW", number: 12 }] }) { status } }',
    }),
  });
  clearInterval(sampler);
  if (result.non2xx > 0 || result.errors > 0) throw new Error('errors under load');
  return { rps: result.requests.average, peak };
}

function seed(env: Record<string, string>): void {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  execFileSync(process.execPath, [CLI, 'seed-demo'], { env: { ...base, ...env }, stdio: 'ignore' });
}

async function measure(mode: 'embedded' | 'server'): Promise<Record<string, string>> {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (mode === 'embedded') {
    const dataDir = mkdtempSync(join(tmpdir(), 'plr-footprint-'));
    env = { DATA_DIR: dataDir, BOOTSTRAP_ADMIN_KEY: ADMIN_KEY };
    cleanup = () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true }));
  } else {
    const database = await scratchDatabase('plr_footprint');
    env = { DATABASE_URL: database.url, BOOTSTRAP_ADMIN_KEY: ADMIN_KEY };
    cleanup = database.drop;
  }
  try {
    const fresh = await start(env);
    await stop(fresh);
    seed(env);
    const reopened = await start(env);
    await new Promise((r) => setTimeout(r, 2000));
    const idle = memory(reopened);
    const load = await underLoad(reopened);
    await stop(reopened);
    const mb = (n: number) => `${n.toFixed(0)} MB`;
    return {
      mode,
      'cold start, fresh': `${fresh.startupMs.toFixed(0)} ms`,
      'cold start, reopened': `${reopened.startupMs.toFixed(0)} ms`,
      'idle: service': mb(idle.service),
      'idle: embedded server': mode === 'embedded' ? mb(idle.database) : 'n/a',
      'load: service (peak)': mb(load.peak.service),
      'load: embedded server (peak)': mode === 'embedded' ? mb(load.peak.database) : 'n/a',
      'load: checkEligibility req/s': load.rps.toFixed(0),
    };
  } finally {
    await cleanup();
  }
}

async function main(): Promise<void> {
  const rows = [await measure('embedded'), await measure('server')];
  const keys = Object.keys(rows[0]).filter((k) => k !== 'mode');
  console.log(`| what | embedded | server |\n|---|---|---|`);
  for (const k of keys) console.log(`| ${k} | ${rows[0][k]} | ${rows[1][k]} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
