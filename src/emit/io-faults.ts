import { writeSync } from 'node:fs';

/**
 * Test hooks of the IO layer, read from the environment here and nowhere else. They exist so
 * tests can crash a render at a known point of its commit, or make a write fail as a full or
 * read-only disk would; they are not part of fedc's interface and are not documented for users.
 *
 * - FEDC_TEST_CRASH_AFTER_RENAMES=N: after the Nth rename of a commit (0: as soon as its journal
 *   is written), print "fedc-test: stopped after N renames" on stderr and stop the process
 *   (SIGSTOP), for the test to SIGKILL it. The commit then renames one file at a time, so that
 *   exactly N are done.
 * - FEDC_TEST_FAIL_WRITE=CODE:N: writing the Nth temporary file fails with errno CODE (ENOSPC,
 *   EACCES, EIO, ...), after half of its bytes are written, as a disk filling up would.
 * - FEDC_TEST_FAIL_RENAME=CODE:N: the Nth rename of a commit fails with CODE.
 * - FEDC_TEST_FAIL_READ=CODE:N: opening the Nth input file read from disk fails with CODE, as an
 *   unreadable file would (as root, tests cannot make one).
 * - FEDC_TEST_TRACE_STAMP=1: print "fedc-test: output stamp <event>" on stderr when a render
 *   takes, finds, uses or settles (its racy entries) the output stamp (output-stamp.ts), so tests see which path ran.
 */
const env = process.env;

function countHook(name: string): { code: string; n: number } | undefined {
  const m = /^([A-Z]+):(\d+)$/.exec(env[name] ?? '');
  return m ? { code: m[1]!, n: Number(m[2]) } : undefined;
}

const crashAfter = env.FEDC_TEST_CRASH_AFTER_RENAMES === undefined ? undefined : Number(env.FEDC_TEST_CRASH_AFTER_RENAMES);
const failWrite = countHook('FEDC_TEST_FAIL_WRITE');
const failRename = countHook('FEDC_TEST_FAIL_RENAME');
const failRead = countHook('FEDC_TEST_FAIL_READ');
let writes = 0;
let renames = 0;
let reads = 0;

function fault(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: injected failure, ${syscall} '${file}'`);
  err.code = code;
  err.syscall = syscall;
  err.path = file;
  return err;
}

/** Called before each temporary file is written: true when this write is to fail halfway. */
export function writeFault(file: string): NodeJS.ErrnoException | undefined {
  if (!failWrite) return undefined;
  return ++writes === failWrite.n ? fault(failWrite.code, 'write', file) : undefined;
}

/** Called before each input file is opened. */
export function readFault(file: string): NodeJS.ErrnoException | undefined {
  if (!failRead) return undefined;
  return ++reads === failRead.n ? fault(failRead.code, 'open', file) : undefined;
}

/** Called before each rename of a commit. */
export function renameFault(file: string): NodeJS.ErrnoException | undefined {
  if (!failRename) return undefined;
  return ++renames === failRename.n ? fault(failRename.code, 'rename', file) : undefined;
}

/** How many renames a commit runs at once: one when a test is to stop it after an exact number. */
export function renameConcurrency(usual: number): number {
  return crashAfter === undefined ? usual : 1;
}

/** Called once the journal is written (done = 0) and after each rename of a commit. */
export function crashPoint(done: number): void {
  if (crashAfter === undefined || done !== crashAfter) return;
  writeSync(2, `fedc-test: stopped after ${done} renames\n`);
  process.kill(process.pid, 'SIGSTOP');
}

/**
 * Tells a test what became of the output stamp: "taken"; "holds" or "stale" (same inputs, the
 * directory as stamped or not); "used" (other inputs: only what it says of the files).
 */
export function stampTrace(event: 'taken' | 'holds' | 'stale' | 'used' | 'settled'): void {
  if (env.FEDC_TEST_TRACE_STAMP === '1') writeSync(2, `fedc-test: output stamp ${event}\n`);
}
