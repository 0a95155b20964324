import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock, DataDirLockedError } from '../../src/database/data-dir-lock';

const spawnIdle = (): ChildProcess =>
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

describe('DataDirLock', () => {
  let dir: string;
  let lockFile: string;
  const locks: DataDirLock[] = [];
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plr-lock-'));
    lockFile = join(dir, 'registry.lock');
  });

  afterEach(async () => {
    for (const lock of locks.splice(0)) lock.release();
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const acquire = (path = dir): DataDirLock => {
    const lock = DataDirLock.acquire(path);
    locks.push(lock);
    return lock;
  };

  it('creates a lock file holding this process id', () => {
    acquire();
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
  });

  it('creates the data directory when it does not exist', () => {
    const nested = join(dir, 'a', 'b');
    acquire(nested);
    expect(existsSync(join(nested, 'registry.lock'))).toBe(true);
  });

  it('refuses a second acquire within the same process', () => {
    acquire();
    let error: unknown;
    try {
      DataDirLock.acquire(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as DataDirLockedError).holderPid).toBe(process.pid);
    expect((error as DataDirLockedError).dataDir).toBe(dir);
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
  });

  it('can be acquired again after release, which removes the lock file', () => {
    const first = DataDirLock.acquire(dir);
    first.release();
    expect(existsSync(lockFile)).toBe(false);
    acquire();
    expect(existsSync(lockFile)).toBe(true);
  });

  it('tolerates a release after the lock file was removed', () => {
    const lock = DataDirLock.acquire(dir);
    rmSync(lockFile);
    expect(() => lock.release()).not.toThrow();
    acquire();
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
  });

  it('refuses a lock held by another live process, naming it and saying what to do', () => {
    const child = spawnIdle();
    children.push(child);
    expect(child.pid).toBeDefined();
    const pid = child.pid as number;
    writeFileSync(lockFile, String(pid));

    let error: unknown;
    try {
      DataDirLock.acquire(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    const locked = error as DataDirLockedError;
    expect(locked.name).toBe('DataDirLockedError');
    expect(locked.holderPid).toBe(pid);
    expect(locked.message).toContain(`process ${pid}`);
    expect(locked.message).toContain(dir);
    expect(locked.message).toMatch(/stop that process/);
    expect(locked.message).toContain('DATABASE_URL');
    // The other process's lock is left alone.
    expect(readFileSync(lockFile, 'utf8')).toBe(String(pid));
  });

  it('takes over a lock left by a process that has exited', async () => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    const pid = child.pid as number;
    expect(pid).toBeGreaterThan(0);
    await exited(child);
    writeFileSync(lockFile, `${pid}\n`);

    acquire();
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
  });

  it('takes over a lock left by a killed process that its parent has not reaped yet (a zombie)', async () => {
    // perl (part of every Debian base system) forks a child that kills itself at once, then
    // sleeps without ever calling wait: the child stays a zombie. (`sh -c 'sleep 0 & exec sleep 5'`
    // did the same only when the shell had not reaped `sleep 0` before its exec: a race.)
    const parent = spawn(
      'perl',
      ['-e', '$| = 1; my $pid = fork(); kill "KILL", $$ unless $pid; print "$pid\\n"; sleep 5'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    children.push(parent);
    const pid = Number(
      await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))),
    );
    const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8');
    for (let i = 0; i < 100 && !/\) Z /.test(state()); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(state()).toMatch(/\) Z /);
    expect(() => process.kill(pid, 0)).not.toThrow(); // "alive" to kill(pid, 0)
    writeFileSync(lockFile, String(pid));

    acquire();
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
  });

  it("takes over a file naming this process's pid that it does not hold (container restart)", () => {
    writeFileSync(lockFile, String(process.pid));
    acquire();
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    // ...and now it does hold it.
    expect(() => DataDirLock.acquire(dir)).toThrow(DataDirLockedError);
  });

  it.each(['', 'garbage', '-5', '0'])('takes over a lock file containing %j', (content) => {
    writeFileSync(lockFile, content);
    acquire();
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
  });

  it('holds separate directories independently', () => {
    const other = mkdtempSync(join(tmpdir(), 'plr-lock-other-'));
    try {
      acquire();
      const second = DataDirLock.acquire(other);
      expect(readFileSync(join(other, 'registry.lock'), 'utf8')).toBe(String(process.pid));
      second.release();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('DataDirLock identity and release', () => {
  const base = mkdtempSync(join(tmpdir(), 'plr-lock-id-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('treats two spellings of one directory as the same lock', () => {
    const dir = join(base, 'data');
    const lock = DataDirLock.acquire(dir);
    try {
      expect(() => DataDirLock.acquire(join(base, '.', 'x', '..', 'data'))).toThrow(
        DataDirLockedError,
      );
    } finally {
      lock.release();
    }
  });

  it('ignores a second release, so it cannot free a lock taken since', () => {
    const dir = join(base, 'twice');
    const first = DataDirLock.acquire(dir);
    first.release();
    const second = DataDirLock.acquire(dir);
    first.release();
    try {
      expect(existsSync(join(dir, 'registry.lock'))).toBe(true);
      expect(() => DataDirLock.acquire(dir)).toThrow(DataDirLockedError);
    } finally {
      second.release();
    }
  });
});
