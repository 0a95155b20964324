import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

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
