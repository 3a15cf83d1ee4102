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
  summary(markdown: string): void;
  /** Writes a file for the job's later steps (in RUNNER_TEMP) and returns its path. */
  saveFile(name: string, text: string): string;
  notice(message: string): void;
  warning(message: string): void;
  /** Annotations of the first diagnostics of each severity; prefix: the repo's path in the checkout (repoInCheckout). */
  annotate(diagnostics: readonly Diagnostic[], prefix: string | undefined): void;
  log(line: string): void;
}

/** GitHub's limit for one step's summary. */
export const SUMMARY_LIMIT = 1024 * 1024;

/** Annotations GitHub shows per step and severity; the rest go to the summary. */
export const ANNOTATION_LIMIT = 10;

export function runnerFromEnv(env: NodeJS.ProcessEnv = process.env): Runner {
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
      if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
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
