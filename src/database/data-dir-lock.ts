import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** Raised when another live process already holds the embedded data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${holderPid}. ` +
        'Only one process may open it at a time: stop that process first (for the CLI, stop the ' +
        'service), or point this one at a shared PostgreSQL server with DATABASE_URL.',
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A killed process its parent has not reaped yet still answers kill(pid, 0) on Linux. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false; // no /proc (macOS, Windows): trust kill(pid, 0)
  }
}

/**
 * An exclusive lock on a data directory: a lock file created with O_EXCL that names the
 * holder's pid. PostgreSQL refuses a second server on one cluster, but the directory also
 * holds what the service manages around it (initialisation, the password file): one process
 * at a time. A lock left by a dead process (kill -9) is taken over.
 */
export class DataDirLock {
  /** Directories this process holds, so a second opener within the process is refused too. */
  private static readonly held = new Set<string>();

  private released = false;

  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // One key per directory however it is spelt (relative path, symlink).
    const file = join(realpathSync(dataDir), 'registry.lock');
    if (DataDirLock.held.has(file)) throw new DataDirLockedError(dataDir, process.pid);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        DataDirLock.held.add(file);
        return new DataDirLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = Number(readFileSync(file, 'utf8').trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
          throw new DataDirLockedError(dataDir, holder);
        }
        // Stale lock: its holder is gone, or it is our own pid left by an earlier life of a
        // container whose service always runs as the same pid. Remove it and try again.
        try {
          unlinkSync(file);
        } catch {
          /* another process removed it first; retry decides */
        }
      }
    }
    throw new Error(`Could not lock ${dataDir}; remove ${file} if no process uses it`);
  }

  /** Releases the lock once; a second call, or a lock since taken by another, is left alone. */
  release(): void {
    if (this.released) return;
    this.released = true;
    DataDirLock.held.delete(this.file);
    try {
      if (readFileSync(this.file, 'utf8').trim() !== String(process.pid)) return;
      unlinkSync(this.file);
    } catch {
      /* already gone */
    }
  }
}
