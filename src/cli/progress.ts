import { CLUSTERS_DIR } from '../model/output-contract.js';
import type { RepoSource } from '../read/repo-source.js';
import { envFlag } from './env-flag.js';

/**
 * The progress line of `fedc render` on a terminal: one line on stderr, rewritten in place
 * (`\r`, then `ESC [K` to clear the rest), at most every 100 ms, shown only once the render has
 * taken a second, and erased before anything else is printed. It is off unless stderr is a
 * terminal, CI is unset, and the output is text written to files; then nothing of it runs.
 *
 * What it can show is what the render can tell it: the compile is one synchronous step, so the
 * line does not move while it compiles; file writes are counted as they finish.
 */
export type Phase = 'starting' | 'waiting' | 'reading' | 'compiling' | 'comparing' | 'checking' | 'writing';

export interface Progress {
  /** Whether a line may ever be shown (false: every method but log does nothing). */
  readonly active: boolean;
  phase(phase: Phase): void;
  /** After compiling: the clusters this run renders, and their objects. */
  totals(clusters: readonly string[], objects: number): void;
  /** Before writing: the files (relative to the output directory) to write. */
  files(rels: readonly string[]): void;
  /** One of those files is written. */
  written(rel: string): void;
  /** Prints a line on stderr (the progress line is cleared first, and drawn again later). */
  log(line: string): void;
  /** Erases the line and stops; idempotent. */
  end(): void;
}

/** Shown only when a render takes longer than this. */
export const PROGRESS_DELAY_MS = 1000;
const REDRAW_MS = 100;


/** Whether `fedc render` shows progress: a terminal on stderr (not a dumb one), not CI. */
export function wantsProgress(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !envFlag(env.CI) && env.TERM !== 'dumb';
}

export function noProgress(stream: NodeJS.WritableStream): Progress {
  return {
    active: false,
    phase() {},
    totals() {},
    files() {},
    written() {},
    log: (line) => void stream.write(line + '\n'),
    end() {},
  };
}

const count = (n: number) => n.toLocaleString('en-US');

export function startProgress(stream: NodeJS.WriteStream, now: () => number = Date.now): Progress {
  const begun = now();
  let phase: Phase = 'starting';
  let clusters = 0;
  let objects: number | undefined;
  let toWrite = 0;
  let written = 0;
  let clustersDone = 0;
  /** Files still to write per cluster directory (only clusters with some). */
  const pending = new Map<string, number>();
  let shown = false;
  let ended = false;
  let interval: NodeJS.Timeout | undefined;

  const clusterOf = (rel: string): string | undefined => {
    if (!rel.startsWith(CLUSTERS_DIR + '/')) return undefined;
    const end = rel.indexOf('/', CLUSTERS_DIR.length + 1);
    return end === -1 ? undefined : rel.slice(CLUSTERS_DIR.length + 1, end);
  };

  const text = (): string => {
    const parts: string[] = [];
    if (phase === 'writing') {
      parts.push(written < toWrite ? `writing ${count(written)}/${count(toWrite)} files` : toWrite > 0 ? `committing ${count(toWrite)} files` : 'committing');
      parts.push(`${count(clustersDone)}/${count(clusters)} clusters`);
    } else {
      parts.push({
        starting: 'starting', waiting: 'waiting for another render', reading: 'reading inputs', compiling: 'compiling',
        comparing: 'comparing with the output directory', checking: 'checking the output directory',
      }[phase]);
      if (objects !== undefined) parts.push(`${count(clusters)} clusters`);
    }
    if (objects !== undefined) parts.push(`${count(objects)} objects`);
    parts.push(`${((now() - begun) / 1000).toFixed(1)} s`);
    const line = `fedc: ${parts.join(', ')}`;
    // A line longer than the terminal wraps, and \r would return to its last row only.
    const width = stream.columns;
    return width && line.length >= width ? line.slice(0, Math.max(0, width - 1)) : line;
  };

  const draw = () => {
    if (ended) return;
    shown = true;
    stream.write(`\r${text()}\x1b[K`);
  };
  const erase = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };

  const delay = setTimeout(() => {
    draw();
    interval = setInterval(draw, REDRAW_MS);
    interval.unref();
  }, PROGRESS_DELAY_MS);
  delay.unref();

  /** A change of phase is drawn at once when the line is due: the next step may block the timers. */
  const redrawNow = () => {
    if (!ended && (shown || now() - begun >= PROGRESS_DELAY_MS)) draw();
  };

  return {
    active: true,
    phase(p) {
      phase = p;
      redrawNow();
    },
    totals(names, n) {
      clusters = names.length;
      objects = n;
      clustersDone = names.length;
    },
    files(rels) {
      toWrite = rels.length;
      written = 0;
      pending.clear();
      for (const rel of rels) {
        const c = clusterOf(rel);
        if (c !== undefined) pending.set(c, (pending.get(c) ?? 0) + 1);
      }
      clustersDone = Math.max(0, clusters - pending.size);
    },
    written(rel) {
      written++;
      const c = clusterOf(rel);
      if (c === undefined) return;
      const left = (pending.get(c) ?? 0) - 1;
      pending.set(c, left);
      if (left === 0) clustersDone++;
    },
    log(line) {
      const was = shown;
      erase();
      stream.write(line + '\n');
      if (was) draw();
    },
    end() {
      if (ended) return;
      clearTimeout(delay);
      if (interval) clearInterval(interval);
      erase();
      ended = true;
    },
  };
}

/** The source, telling the progress line when inputs are read and when the compile begins. */
export function withPhases(source: RepoSource, progress: Progress): RepoSource {
  if (!progress.active) return source;
  return {
    ...source,
    readInputs: async (settings) => {
      progress.phase('reading');
      try {
        return await source.readInputs(settings);
      } finally {
        progress.phase('compiling');
      }
    },
  };
}
