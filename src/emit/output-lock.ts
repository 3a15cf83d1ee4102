import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, linkSync, lstatSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { makeDirs, removeEmptyDirs } from './make-dirs.js';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One writer per output directory. `fedc render` holds `<out>/.fedc-lock` from before it reads the
 * previous output until its commit is done: a file created with O_EXCL that names its holder. A
 * second render waits for it (a bounded time), then fails naming the holder; it never writes
 * meanwhile. A lock whose process is gone (on this host) is stale and taken over.
 */
export const LOCK_FILE = '.fedc-lock';

export interface LockHolder {
  pid: number;
  hostname: string;
  /** When the lock was taken (ISO 8601). */
  started: string;
  /** Linux: the holder's start time in /proc/<pid>/stat, to tell a reused pid from the holder. */
  procStart?: string;
  /** Unique per lock: whose lock a file is. */
  token: string;
}

export interface LockState {
  /** Undefined when the file cannot be read as a lock (being written, or damaged). */
  holder?: LockHolder;
  /** Whether the holder still runs, as far as this host can tell. */
  alive: boolean;
}

/** The lock is held by a running render and the wait is over. */
export class LockBusyError extends Error {
  /** `limitMs`: how long the caller was willing to wait (0: not at all). */
  constructor(readonly lockPath: string, readonly state: LockState, readonly waitedMs: number, readonly limitMs: number) {
    super(`${lockPath} is held`);
  }
}

/** Another render took the lock over while this one held it (it was judged stale). */
export class LockLostError extends Error {}

export interface OutputLock {
  readonly path: string;
  /** Throws LockLostError unless the lock file is still this render's. */
  assertHeld(): void;
  /** Removes the lock (if still ours) and the directories created only to hold it, if empty. */
  release(): void;
}

const POLL_MS = 100;
/** A lock file that does not parse and is older than this was left by a process killed while creating it. */
const UNREADABLE_STALE_MS = 5000;

export interface LockOptions {
  /** How long to wait for another holder; 0 fails at once. */
  waitMs: number;
  /** Called once, when the lock is found held and the wait begins. */
  onWait?: (state: LockState) => void;
}

export async function acquireLock(outDir: string, options: LockOptions): Promise<OutputLock> {
  const lockPath = path.join(outDir, LOCK_FILE);
  const createdFrom = makeDirs(outDir);
  const me: LockHolder = { pid: process.pid, hostname: hostname(), started: new Date().toISOString(), token: randomUUID() };
  const procStart = processStart(process.pid);
  if (procStart !== undefined) me.procStart = procStart;
  const body = JSON.stringify(me) + '\n';
  const begun = Date.now();
  let waiting = false;
  // The lock's content is written to a file of this render's first, then linked into place: a
  // link fails when the lock exists, as O_EXCL does, and a waiting render never sees it half
  // written. The draft lives only for the attempt, never while waiting: a render stopped then
  // (a cancelled CI job, Ctrl-C) leaves nothing behind.
  const draft = path.join(outDir, `${LOCK_FILE}.${me.token}`);
  const dropDraft = () => {
    try {
      unlinkSync(draft);
    } catch {
      // already gone
    }
  };
  /** One attempt to link the lock into place: undefined when it is ours, else the link's error. */
  const attempt = (): NodeJS.ErrnoException | undefined => {
    const fd = openSync(draft, 'wx', 0o644);
    try {
      writeSync(fd, body);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(draft, lockPath);
      return undefined;
    } catch (err) {
      return err as NodeJS.ErrnoException;
    } finally {
      dropDraft();
    }
  };
  let first = true;
  for (;;) {
    let failed: NodeJS.ErrnoException | undefined;
    try {
      failed = attempt();
    } catch (err) {
      dropDraft();
      // a full disk or an unwritable directory: leave nothing behind
      if (first && createdFrom !== undefined) removeEmptyDirs(outDir, path.dirname(createdFrom));
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      failed = err as NodeJS.ErrnoException;
    }
    first = false;
    if (failed === undefined) return held(lockPath, me.token, outDir, createdFrom);
    if (failed.code === 'ENOENT') {
      // Another render that had created the directory just removed it again.
      makeDirs(outDir);
      continue;
    }
    if (failed.code !== 'EEXIST') throw failed;
    const seen = inspect(lockPath);
    if (!seen) continue; // released meanwhile
    if (seen.stale) {
      takeOver(lockPath, seen.ino);
      continue;
    }
    const waited = Date.now() - begun;
    if (waited >= options.waitMs) throw new LockBusyError(lockPath, seen.state, waited, options.waitMs);
    if (!waiting) {
      waiting = true;
      options.onWait?.(seen.state);
    }
    await sleep(Math.min(POLL_MS, options.waitMs - waited));
  }
}

/**
 * Drafts (`.fedc-lock.<token>`) left by renders killed (SIGKILL) in the instant of an attempt: a
 * draft lives a moment, so one this old is nobody's. The holder removes them.
 */
function removeOrphanedDrafts(outDir: string): void {
  const now = Date.now();
  try {
    for (const name of readdirSync(outDir)) {
      if (!DRAFT.test(name)) continue;
      const file = path.join(outDir, name);
      try {
        if (now - lstatSync(file).mtimeMs > UNREADABLE_STALE_MS) unlinkSync(file);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // an unreadable directory: the render fails on it anyway
  }
}
const DRAFT = /^\.fedc-lock\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The lock of an output directory as `--check` sees it, or undefined when there is none. */
export function lockState(outDir: string): LockState | undefined {
  return inspect(path.join(outDir, LOCK_FILE))?.state;
}

function held(lockPath: string, token: string, outDir: string, createdFrom: string | undefined): OutputLock {
  removeOrphanedDrafts(outDir);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  let released = false;
  const mine = () => readHolder(lockPath)?.token === token;
  const release = () => {
    if (released) return;
    released = true;
    for (const s of signals) process.off(s, onSignal);
    process.off('exit', release);
    try {
      if (mine()) unlinkSync(lockPath);
    } catch {
      // already gone
    }
    if (createdFrom !== undefined) removeEmptyDirs(outDir, path.dirname(createdFrom));
  };
  // A cancelled CI job or a Ctrl-C: give the lock back before going (a journal, if any, stays for
  // the next render to recover), then die of the same signal.
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    process.kill(process.pid, signal);
  };
  for (const s of signals) process.once(s, onSignal);
  process.once('exit', release);
  return {
    path: lockPath,
    assertHeld() {
      if (!mine()) throw new LockLostError(`another fedc render took over ${lockPath}`);
    },
    release,
  };
}


interface Seen {
  state: LockState;
  stale: boolean;
  ino: number;
}

function inspect(lockPath: string): Seen | undefined {
  let fd: number;
  try {
    fd = openSync(lockPath, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let text: string;
  let ino: number;
  let mtimeMs: number;
  try {
    const st = fstatSync(fd);
    ino = st.ino;
    mtimeMs = st.mtimeMs;
    const buf = Buffer.alloc(Math.min(st.size, 4096));
    const n = readSync(fd, buf, 0, buf.length, 0);
    text = buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const holder = parseHolder(text);
  if (!holder) {
    const old = Date.now() - mtimeMs > UNREADABLE_STALE_MS;
    return { state: { alive: !old }, stale: old, ino };
  }
  const alive = isAlive(holder);
  return { state: { holder, alive }, stale: !alive, ino };
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    return parseHolder(readFileSync(lockPath, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.hostname === 'string'
      && typeof v.started === 'string' && typeof v.token === 'string') return v as LockHolder;
  } catch {
    // not a lock fedc wrote completely
  }
  return undefined;
}

/** Whether the holder runs. A holder on another host cannot be checked from here: it counts as running. */
function isAlive(h: LockHolder): boolean {
  if (h.hostname !== hostname()) return true;
  if (h.pid === process.pid) return false; // this process did not take it, so its pid was reused
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: it runs, as another user
  }
  if (h.procStart !== undefined) {
    const now = processStart(h.pid);
    if (now !== undefined && now !== h.procStart) return false; // the pid now names another process
  }
  return true;
}

/** Field 22 of /proc/<pid>/stat (start time after boot, in clock ticks); undefined off Linux. */
function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

/**
 * Replaces a stale lock without removing a fresh one: the stale file is moved aside, and only if
 * what was moved is the file judged stale (same inode) is it deleted; otherwise another render
 * has just taken the lock, and its file is put back.
 */
function takeOver(lockPath: string, staleIno: number): void {
  const aside = `${lockPath}.stale-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    renameSync(lockPath, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (statSync(aside).ino !== staleIno) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // a third render took the lock in between; the one moved aside notices before it commits
    }
  }
  unlinkSync(aside);
}
