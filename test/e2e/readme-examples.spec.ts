import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeyPem } from '../../src/audit/signing-key';
import { FencedBlock, lineOf, readmeBlocks } from '../support/readme-blocks';
import { ServiceProcess, startService } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The README, pasted on a fresh clone, works: every ```sh block runs, in order, in one bash
 * session (so the variables one example sets are there for the next), against the compiled
 * service as a process, exactly as written but for the address, localhost:3000 becoming the
 * port the service got. A block must exit 0, and every GraphQL answer must be free of errors,
 * unless a marker says the block shows an error on purpose (then that code must come back).
 * Blocks that cannot run here (installing, starting a server, the test suite) carry a skip
 * marker with the reason; see test/support/readme-blocks.ts.
 *
 * The service runs on a fresh clone of the migrated template database rather than the
 * embedded one, exported to the session as DATABASE_URL: faster, and `npm run cli` commands
 * (seed-demo, create-principal) may then run next to the service, as the README says they may
 * on DATABASE_URL (on the embedded database they are refused while the service holds it).
 */

const ROOT = join(__dirname, '..', '..');
const README = join(ROOT, 'README.md');
const { blocks, problems } = readmeBlocks(readFileSync(README, 'utf8'));
const shBlocks = blocks.filter((b) => b.lang === 'sh');
const toRun = shBlocks.filter((b) => b.marker?.kind !== 'skip');
const skipped = shBlocks.filter((b) => b.marker?.kind === 'skip');

/** Written by every compilation of the project (tsconfig.build.json). */
const BUILD_INFO = join(ROOT, 'dist', '.tsbuildinfo');
const MARK = '@@readme-test';
/** Generous: half a dozen `npm run cli` commands (each checks the build) on a busy machine. */
const SESSION_TIMEOUT_MS = 240_000;

/** One request a README example made with curl, as the session's curl wrapper recorded it. */
interface CurlCall {
  url: string;
  status: number | undefined;
  body: string;
}

interface BlockResult {
  /** It ran to its end (its end marker was printed). */
  finished: boolean;
  output: string;
  /** The README line of the command that failed, and its exit status. */
  failure?: { line: number | undefined; status: string };
  calls: CurlCall[];
}

/**
 * One bash script: strict mode, a curl wrapper that records every response, an ERR trap
 * naming the failing line, and each block between markers. Returns the script and, per
 * script line, the README line it came from (0 for the test's own lines).
 */
function sessionScript(
  baseUrl: string,
  callsDir: string,
): { script: string; readmeLine: number[] } {
  const lines: string[] = [];
  const readmeLine: number[] = [];
  const own = (...text: string[]) => {
    for (const line of text.flatMap((t) => t.split('\n'))) {
      lines.push(line);
      readmeLine.push(0);
    }
  };
  own(
    'set -Eeuo pipefail',
    'exec 2>&1',
    '__block=0',
    // The failing command's line, and the lines of the calls that led to it (a function).
    `trap 'printf "\\n${MARK} failed %s %s %s %s@@\\n" "$__block" "$?" "$LINENO" "\${BASH_LINENO[*]}"' ERR`,
    // Every curl keeps its URL, headers and body, so the test can check each answer. It is
    // transparent to the example: same arguments, same output, same exit status.
    'curl() {',
    // Numbered in a file, not a variable: the examples call curl inside $(...) subshells too.
    `  local n; n=$(( $(cat "${callsDir}/count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "${callsDir}/count"`,
    `  local call; printf -v call '${callsDir}/b%s-%05d' "$__block" "$n"; : > "$call"`,
    '  local arg; for arg in "$@"; do case $arg in http://*|https://*) printf %s "$arg" > "$call";; esac; done',
    '  command curl -D "$call.headers" "$@" | tee "$call.body"',
    '}',
  );
  toRun.forEach((block) => {
    const n = blocks.indexOf(block);
    own(`__block=${n}`, `printf '\\n${MARK} block ${n}@@\\n'`);
    block.lines.forEach((text, i) => {
      lines.push(text.replaceAll('http://localhost:3000', baseUrl));
      readmeLine.push(lineOf(block, i));
    });
    own(`printf '\\n${MARK} end ${n}@@\\n'`);
  });
  return { script: lines.join('\n') + '\n', readmeLine };
}

function runSession(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  stdin: string,
): Promise<{ output: string; code: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    // Its own process group, so that a timeout ends npm and node below it too.
    const child = spawn('bash', ['-c', script], { cwd, env, detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, SESSION_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ output, code, timedOut });
    });
    child.stdin.end(stdin);
  });
}

/** Splits the session's output by block, with the failure and the recorded curl calls. */
function perBlock(
  output: string,
  readmeLine: number[],
  callsDir: string,
): Map<number, BlockResult> {
  const results = new Map<number, BlockResult>();
  let current: BlockResult | undefined;
  for (const line of output.split('\n')) {
    const mark = new RegExp(`^${MARK} (block|end|failed) (.*)@@$`).exec(line);
    if (!mark) {
      if (current) current.output += `${line}\n`;
      continue;
    }
    const [kind, rest] = [mark[1], mark[2].split(' ')];
    const n = Number(rest[0]);
    if (kind === 'block') {
      current = { finished: false, output: '', calls: [] };
      results.set(n, current);
    } else if (kind === 'end') {
      results.get(n)!.finished = true;
    } else if (!results.get(n)?.failure && results.has(n)) {
      // The failing line itself, or the nearest README line among the calls that led to it.
      const candidates = [rest[2], ...rest.slice(3)].map(Number);
      const line = candidates.map((l) => readmeLine[l - 1]).find((l) => l > 0);
      results.get(n)!.failure = { line, status: rest[1] };
    }
  }
  for (const result of results.values()) result.output = result.output.replace(/^\n|\n\n$/g, '');
  for (const name of readdirSync(callsDir)
    .filter((f) => /^b\d+-\d+$/.test(f))
    .sort()) {
    const n = Number(/^b(\d+)/.exec(name)![1]);
    const read = (suffix: string) => {
      try {
        return readFileSync(join(callsDir, name + suffix), 'utf8');
      } catch {
        return '';
      }
    };
    const statuses = [...read('.headers').matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)];
    results.get(n)?.calls.push({
      url: read(''),
      status: statuses.length ? Number(statuses[statuses.length - 1][1]) : undefined,
      body: read('.body'),
    });
  }
  return results;
}

const where = (block: FencedBlock) =>
  `README.md:${block.line} (sh block, lines ${block.line}-${lineOf(block, block.lines.length)})`;

/** What is wrong with one block's run; empty when it did what the README says. */
function blockProblems(block: FencedBlock, result: BlockResult): string[] {
  const found: string[] = [];
  if (result.failure || !result.finished) {
    const at = result.failure?.line;
    const lineText = at ? readFileSync(README, 'utf8').split('\n')[at - 1] : undefined;
    found.push(
      `exited with status ${result.failure?.status ?? 'unknown'}` +
        (at ? ` at README.md:${at}:\n    ${lineText?.trim()}` : ''),
    );
  }
  // The wrapper records every curl; none recorded would mean none was checked.
  if (block.lines.some((l) => /^\s*[^#]*\bcurl\b/.test(l)) && result.calls.length === 0)
    found.push('runs curl, yet no answer was recorded to check');
  const expected = block.marker?.kind === 'expect-error' ? block.marker.code : undefined;
  const codes: string[] = [];
  for (const call of result.calls) {
    if (!/\/graphql\/?$/.test(call.url)) {
      if (!call.status || call.status >= 400)
        found.push(`${call.url} answered HTTP ${call.status ?? 'nothing'}: ${call.body.trim()}`);
      continue;
    }
    let answer: { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    try {
      answer = JSON.parse(call.body) as typeof answer;
    } catch {
      found.push(`${call.url} answered HTTP ${call.status}, not JSON: ${call.body.trim()}`);
      continue;
    }
    codes.push(...(answer.errors ?? []).map((e) => e.extensions?.code ?? '(no code)'));
    if (!expected && 'errors' in answer)
      found.push(`a GraphQL answer has errors: ${call.body.trim()}`);
  }
  if (expected && !codes.includes(expected))
    found.push(
      `the block shows the error ${expected} on purpose, but its answers carry ${codes.length ? codes.join(', ') : 'no error'}`,
    );
  return found;
}

describe('README examples, run as a newcomer pastes them', () => {
  let db: TestDatabase | undefined;
  let service: ServiceProcess | undefined;
  let scratch: string | undefined;
  let results = new Map<number, BlockResult>();
  let session: { output: string; code: number | null; timedOut: boolean } | undefined;
  let buildInfoBefore: number | undefined;
  let buildInfoAfter: number | undefined;

  beforeAll(async () => {
    if (problems.length > 0) return; // reported by the first test
    // Inside the clone (npm finds the package from here), outside what git tracks: the
    // examples write receipt.json, audit.ndjson and the like into the current directory.
    const cache = join(ROOT, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    scratch = mkdtempSync(join(cache, 'readme-examples-'));
    const callsDir = join(scratch, '.curl-calls');
    mkdirSync(callsDir);
    db = await createTestDatabase();
    const adminKey = randomBytes(24).toString('hex');
    service = await startService({
      DATABASE_URL: db.url,
      BOOTSTRAP_ADMIN_KEY: adminKey,
      // Server mode signs checkpoints only with a configured key; the examples need them,
      // and the first one soon after the first change.
      AUDIT_SIGNING_KEY: generateSigningKeyPem(),
      AUDIT_CHECKPOINT_FILE: join(scratch, 'checkpoint-file.json'),
      AUDIT_CHECKPOINT_INTERVAL_SECONDS: '1',
    });
    const baseUrl = service.url.replace(/\/graphql$/, '');
    const { script, readmeLine } = sessionScript(baseUrl, callsDir);
    // A newcomer's shell: no npm or jest variables; HOME for `~/registry-monitor.json`.
    const env = {
      PATH: process.env.PATH,
      HOME: scratch,
      LANG: 'C.UTF-8',
      DATABASE_URL: db.url,
      npm_config_update_notifier: 'false',
    };
    buildInfoBefore = statSync(BUILD_INFO).mtimeMs;
    // What the reader types where the README asks for the administrator key.
    session = await runSession(script, scratch, env, `${adminKey}\n`);
    buildInfoAfter = statSync(BUILD_INFO).mtimeMs;
    results = perBlock(session.output, readmeLine, callsDir);
  }, SESSION_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** Why a block has no result: only the first failure is worth reading. */
  const whyNotRun = (): string => {
    if (problems.length > 0) return "the README's markers are malformed (see the first test)";
    if (session?.timedOut) return `the session timed out after ${SESSION_TIMEOUT_MS / 1000} s`;
    const failed = toRun.find((b) => {
      const result = results.get(blocks.indexOf(b));
      return result && (result.failure || !result.finished);
    });
    if (failed) return `${where(failed)} failed first`;
    return `the session ended with status ${session?.code} before it:\n${session?.output.slice(-2000)}`;
  };

  it('has well-formed markers, and every runnable example in an sh block', () => {
    expect(problems).toEqual([]);
  });

  // Blocks that cannot run here are listed by this test's name, not as skipped tests: each
  // is a decision written down in the README next to the block, checked to carry a reason.
  it(`runs ${toRun.length} sh blocks and leaves out ${skipped.length}, each for its stated reason: ${skipped.map(where).join(', ')}`, () => {
    expect(toRun.length).toBeGreaterThan(0);
    for (const block of skipped)
      expect(block.marker).toEqual({ kind: 'skip', reason: expect.stringMatching(/\S/) });
  });

  it("loads every demo country next to the README's own, with a demo auditor", () => {
    const seed = toRun.find((b) => b.lines.some((l) => /npm run cli -- seed-demo/.test(l)));
    expect(seed).toBeDefined();
    const output = results.get(blocks.indexOf(seed!))?.output ?? '';
    expect(output).toMatch(/^registered GHA /m);
    expect(output).not.toMatch(/^skipped /m);
    expect(output).toMatch(/^ {2}Demo auditor .* AUDITOR .* plr_\S+$/m);
  });

  it('runs the `npm run cli` examples on the build as it is, without rebuilding it', () => {
    // The global set-up built the project; `npm run cli` checks the build (tsc -b) each time,
    // which must find it fresh and leave it alone, or every CLI example costs a compile.
    expect(buildInfoAfter).toBe(buildInfoBefore);
  });

  for (const block of toRun) {
    it(`${where(block)}: ${block.lines.find((l) => l.trim() && !l.startsWith('#'))}`, () => {
      const result = results.get(blocks.indexOf(block));
      if (!result) throw new Error(`${where(block)} did not run: ${whyNotRun()}`);
      const found = blockProblems(block, result);
      if (found.length > 0)
        throw new Error(
          `${where(block)}:\n  - ${found.join('\n  - ')}\n\noutput of the block:\n${result.output}`,
        );
    });
  }
});
