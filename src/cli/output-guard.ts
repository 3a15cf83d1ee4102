import { hostname } from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { JOURNAL_FILE, JournalError, readJournal, recoverCommit, type Journal, type Recovery } from '../emit/commit-journal.js';
import { acquireLock, LOCK_FILE, LockBusyError, LockLostError, lockState, type LockState, type OutputLock } from '../emit/output-lock.js';
import { CommitInterruptedError, outputLeavesRepo, SymlinkInOutputError } from '../emit/write-tree.js';
import type { RepoSource } from '../read/repo-source.js';
import type { Settings } from '../read/settings.js';

/**
 * What `fedc render` does around the output directory before and after compiling: the lock (one
 * writer at a time), the recovery of a commit a killed render left, and the messages for every
 * way writing can fail. Each message says what is true of the directory afterwards.
 */
export interface OutputGuard {
  /** The repo source whose reading of inputs first takes the lock and recovers (for a render that writes). */
  source: RepoSource;
  /** The output directory, once settings are read. */
  outDir?: string;
  lock?: OutputLock;
  recovery?: Recovery;
  release(): void;
}

/** An output directory from fedc.yaml (or the default) that a symlink leads out of the repo. */
export class OutputEscapesError extends Error {
  constructor(readonly outDir: string, readonly real: string) {
    super(`${outDir} leads to ${real}`);
  }
}

/** Taking the lock, or finishing an interrupted commit, failed on the file system. */
export class GuardIoError extends Error {
  constructor(readonly step: 'lock' | 'recover', override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

export interface GuardOptions {
  root: string;
  /** -o on the command line (may point anywhere). */
  output: string | undefined;
  waitMs: number;
  /** Take the lock and recover (render), or only wait for a running render to finish (--check). */
  mode: 'write' | 'check';
  /** Prints a line for the person waiting. */
  say: (line: string) => void;
  shown: (outDir: string) => string;
}

export function outputDirOf(root: string, output: string | undefined, settings: Settings): string {
  return output ? path.resolve(output) : path.resolve(root, settings.output);
}

export function guardOutput(inner: RepoSource, options: GuardOptions): OutputGuard {
  const guard: OutputGuard = {
    source: {
      ...inner,
      readInputs: async (settings) => {
        // Inputs may be read more than once (CRD files are read apart): guard the first time only.
        if (guard.outDir !== undefined) return inner.readInputs(settings);
        const outDir = outputDirOf(options.root, options.output, settings);
        guard.outDir = outDir;
        if (!options.output) {
          const real = outputLeavesRepo(options.root, outDir);
          if (real !== undefined) throw new OutputEscapesError(outDir, real);
        }
        const onWait = (state: LockState) => options.say(`fedc: ${options.shown(outDir)} is being written by ${holderText(state)}; waiting up to ${options.waitMs / 1000} s for it to finish`);
        if (options.mode === 'write') {
          try {
            guard.lock = await acquireLock(outDir, { waitMs: options.waitMs, onWait });
          } catch (e) {
            throw e instanceof LockBusyError ? e : new GuardIoError('lock', e);
          }
          try {
            guard.recovery = recoverCommit(outDir);
          } catch (e) {
            throw e instanceof JournalError ? e : new GuardIoError('recover', e);
          }
        } else {
          await waitForWriter(outDir, options.waitMs, onWait);
        }
        return inner.readInputs(settings);
      },
    },
    release() {
      guard.lock?.release();
    },
  };
  return guard;
}

/** --check: wait while a live render holds the lock, so it does not judge a half-written tree. */
async function waitForWriter(outDir: string, waitMs: number, onWait: (s: LockState) => void): Promise<void> {
  const begun = Date.now();
  let told = false;
  for (;;) {
    const state = lockState(outDir);
    if (!state || !state.alive) return;
    const waited = Date.now() - begun;
    if (waited >= waitMs) throw new LockBusyError(path.join(outDir, LOCK_FILE), state, waited, waitMs);
    if (!told) {
      told = true;
      onWait(state);
    }
    await new Promise((r) => setTimeout(r, Math.min(100, waitMs - waited)));
  }
}

function holderText(state: LockState): string {
  const h = state.holder;
  return h ? `another fedc render (pid ${h.pid} on ${h.hostname}, since ${h.started})` : 'another fedc render (its lock file is being written, or is damaged)';
}

const err = (code: Diagnostic['code'], message: string, hint: string, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  code, severity, message, file: '', line: 0, col: 0, hint,
});

/** Whether an error is one the guard throws (anything else thrown before writing is a bug, not an output problem). */
export function isGuardError(e: unknown): boolean {
  return e instanceof LockBusyError || e instanceof LockLostError || e instanceof JournalError || e instanceof OutputEscapesError || e instanceof GuardIoError;
}

/** The diagnostic of an error thrown while guarding or writing the output, or undefined if it is none of those. */
export function outputErrorDiagnostic(e: unknown, shown: string, fix: string, wrote: 'nothing' | 'recovered'): Diagnostic | undefined {
  const nothing = wrote === 'nothing' ? 'nothing was written' : 'nothing was written beyond finishing the interrupted commit';
  if (e instanceof LockBusyError) {
    const h = e.state.holder;
    const waited = e.limitMs === 0 ? 'without waiting (--wait 0)' : `after waiting ${Math.round(e.waitedMs / 100) / 10} s`;
    const lockFile = `${shown}/${LOCK_FILE}`;
    const hint = !h
      ? `${nothing}; if no fedc render runs, delete ${lockFile}`
      : h.hostname !== hostname()
        ? `${nothing}; that render runs on another host or container (${h.hostname}), so fedc cannot tell whether it still runs: if it does not, delete ${lockFile}`
        : `${nothing}; run again when it has finished, or wait longer with --wait SECONDS`;
    return err('FEDC5006', `${shown} is being written by ${holderText(e.state)}; gave up ${waited}`, hint);
  }
  if (e instanceof LockLostError) {
    return err('FEDC5006', `another fedc render took over the lock of ${shown} while this one ran (it judged this one gone)`, `${nothing}; run again`);
  }
  if (e instanceof JournalError) {
    return err('FEDC5011', `${shown}/${JOURNAL_FILE} cannot be used: ${e.message}; fedc did not act on it`,
      `${nothing}; if no fedc render runs, look at it, delete it, and run: ${fix} (which rewrites every file that differs)`);
  }
  if (e instanceof OutputEscapesError) {
    return err('FEDC5012', `the output directory ${shown} leads outside the repository through a symlink (to ${e.real})`,
      `${nothing}; a repository cannot make fedc write elsewhere: pass -o DIR to write there on purpose`);
  }
  if (e instanceof SymlinkInOutputError) {
    return err('FEDC5012', `cannot write ${shown}: ${e.message}`, `${nothing}; replace ${shown}/${e.link} with a directory (or delete it) and render again`);
  }
  if (e instanceof GuardIoError && e.step === 'recover') {
    const [code, what] = describeIoError(e.cause, shown);
    return err(code, `cannot finish the unfinished commit an interrupted render left in ${shown}: ${what}`,
      `${shown}/${JOURNAL_FILE} stays, and the next fedc render tries again; nothing else was written`);
  }
  if (e instanceof GuardIoError) e = e.cause;
  if (e instanceof CommitInterruptedError) {
    const [code, what] = describeIoError(e.cause, shown);
    return err(code, `cannot write ${shown}: ${what}; the commit stopped after ${e.done} of ${e.total} files were renamed into place`,
      `${shown}/${JOURNAL_FILE} records the unfinished commit, and the next fedc render finishes it before it renders; until then the directory mixes two renders, and --check says so`);
  }
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === 'string' || e instanceof Error) {
    const [code, what] = describeIoError(e, shown);
    return err(code, `cannot write ${shown}: ${what}`, wrote === 'nothing' ? 'the previous output was left as it was' : 'the previous output was left as the interrupted commit (finished above) made it');
  }
  return undefined;
}

function describeIoError(e: unknown, shown: string): [Diagnostic['code'], string] {
  const x = e as NodeJS.ErrnoException;
  if (x?.code === 'ENOSPC' || x?.code === 'EDQUOT') {
    return ['FEDC5009', `the disk of ${shown} is full (${x.message})`];
  }
  return ['FEDC5005', x?.message ?? String(e)];
}

/** FEDC5010: what the recovery of an interrupted commit did. */
export function recoveryDiagnostic(r: Recovery, shown: string): Diagnostic {
  const who = journalText(r.journal);
  return r.outcome === 'finished'
    ? err('FEDC5010', `${shown} held the unfinished commit of ${who}; fedc finished it (${r.files} files renamed into place, ${r.deleted} deleted) before rendering`,
      'nothing to do: this render then brought the directory up to date', 'info')
    : err('FEDC5010', `${shown} held the unfinished commit of ${who}, and some of its files were gone, so fedc rolled it back (${r.files} temporary files deleted) before rendering`,
      'nothing to do: this render then brought the directory up to date', 'info');
}

/** FEDC5007: --check found a journal. */
export function unfinishedCommitDiagnostic(journal: Journal, state: LockState | undefined, shown: string, fix: string): Diagnostic {
  const h = state?.holder;
  if (state?.alive && h && h.pid === journal.pid && h.hostname === journal.hostname) {
    return err('FEDC5007', `${shown} is being written by a render right now (pid ${h.pid} on ${h.hostname}); its commit is not finished`,
      'check again when it has finished (pass --wait SECONDS to wait for it)');
  }
  return err('FEDC5007', `${shown} holds the unfinished commit of ${journalText(journal)}: its files are a mix of two renders`,
    `run: ${fix} (it finishes the commit first)`);
}

function journalText(j: Journal): string {
  return `a render that was interrupted (pid ${j.pid} on ${j.hostname}, started ${j.started})`;
}

/** The journal for --check, or the FEDC5011 diagnostic when it cannot be read. */
export function journalForCheck(outDir: string): { journal?: Journal; problem?: JournalError } {
  try {
    const journal = readJournal(outDir);
    return journal ? { journal } : {};
  } catch (e) {
    if (e instanceof JournalError) return { problem: e };
    throw e;
  }
}
