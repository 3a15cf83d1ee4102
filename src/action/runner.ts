import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/format.js';
import { namedFrom } from '../cli/print-diagnostics.js';

/**
 * The GitHub Actions runner's contract, as a workflow step sees it: inputs in INPUT_<NAME>,
 * the event payload at GITHUB_EVENT_PATH, outputs appended to GITHUB_OUTPUT, the job summary to
 * GITHUB_STEP_SUMMARY, files for later steps in RUNNER_TEMP, and workflow commands (annotations,
 * notices) on stdout.
 */
export interface Runner {
  input(name: string, fallback?: string): string;
  event(): Record<string, unknown>;
  eventName: string;
  repository: string;
  workspace: string;
  apiUrl: string;
  setOutput(name: string, value: string): void;
  /** Appends to the job summary; what would take it past SUMMARY_LIMIT is cut, with a note. */
  summary(markdown: string): void;
  /** Writes a file for the job's later steps (in RUNNER_TEMP) and returns its path. */
  saveFile(name: string, text: string): string;
  notice(message: string): void;
  warning(message: string): void;
  /** Annotations of the first diagnostics of each severity; prefix: the repo's path in the checkout (repoInCheckout). */
  annotate(diagnostics: readonly Diagnostic[], prefix: string | undefined): void;
  log(line: string): void;
}

/** GitHub's limit for one step's summary, in bytes: a step that writes more loses all of it. */
export const SUMMARY_LIMIT = 1024 * 1024;

/** What the diff report leaves of the summary for the notes written after it. */
export const SUMMARY_RESERVE = 4096;

const SUMMARY_FULL = '\n\n_(cut here: GitHub keeps 1 MiB of a job summary)_\n';

/** The longest start of `text` that takes at most `bytes` bytes in UTF-8, cut between characters. */
export function clipUtf8(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  let end = Math.max(0, bytes);
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // not inside a character
  return buf.subarray(0, end).toString('utf8');
}

/** Annotations GitHub shows per step and severity; the rest go to the summary. */
export const ANNOTATION_LIMIT = 10;

export function runnerFromEnv(env: NodeJS.ProcessEnv = process.env): Runner {
  let summaryBytes = 0;
  const escape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return {
    // The runner upper-cases input names and keeps their dashes: INPUT_MAX-CHARS.
    input: (name, fallback = '') => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim() || fallback,
    event: () => (env.GITHUB_EVENT_PATH ? (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>) : {}),
    eventName: env.GITHUB_EVENT_NAME ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    setOutput(name, value) {
      if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value.replace(/[\r\n]/g, ' ')}\n`);
    },
    summary(markdown) {
      if (!env.GITHUB_STEP_SUMMARY) return;
      const room = SUMMARY_LIMIT - summaryBytes;
      const text = Buffer.byteLength(markdown, 'utf8') <= room ? markdown : room > SUMMARY_FULL.length ? clipUtf8(markdown, room - SUMMARY_FULL.length) + SUMMARY_FULL : '';
      summaryBytes += Buffer.byteLength(text, 'utf8');
      appendFileSync(env.GITHUB_STEP_SUMMARY, text);
    },
    saveFile(name, text) {
      const file = path.join(env.RUNNER_TEMP || os.tmpdir(), name);
      writeFileSync(file, text);
      return file;
    },
    notice: (m) => process.stdout.write(`::notice title=fedc::${escape(m)}\n`),
    warning: (m) => process.stdout.write(`::warning title=fedc::${escape(m)}\n`),
    annotate(diagnostics, prefix) {
      const shown: Diagnostic[] = [];
      for (const sev of ['error', 'warning', 'info'] as const) shown.push(...diagnostics.filter((d) => d.severity === sev).slice(0, ANNOTATION_LIMIT));
      process.stdout.write(formatDiagnostics(namedFrom(shown, prefix), 'github'));
    },
    log: (line) => process.stdout.write(`${line}\n`),
  };
}
