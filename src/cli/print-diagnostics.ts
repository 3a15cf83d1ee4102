import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, type Format } from '../diagnostics/format.js';
import { leavesBase } from '../emit/under-root.js';

/**
 * Text is for people and goes to stderr. JSON and GitHub annotations are for machines and go to
 * stdout, unless stdout carries the rendered YAML stream.
 *
 * Diagnostics name files from the federation repo (`repoDir`); where they are printed, each
 * format names them from where its reader stands: text from the working directory, so that a
 * terminal or an editor opens `federation/app.yaml:3:5` as printed (`textPrefix` overrides that:
 * the Argo CD plugin names files from the repository's root); GitHub annotations from the root of
 * the checkout (see repoInCheckout); JSON from the repo, as `fedc validate` was given it.
 */
export function diagnosticsPrinter(format: Format, stdoutFree: boolean, repoDir?: string, textPrefix?: string): (diags: readonly Diagnostic[]) => void {
  const stream = format !== 'text' && stdoutFree ? process.stdout : process.stderr;
  const prefix = repoDir === undefined ? undefined
    : format === 'github' ? repoInCheckout(repoDir)
      : format === 'text' ? textPrefix ?? repoFromWorkingDir(repoDir)
        : undefined;
  return (diags) => {
    const text = formatDiagnostics(namedFrom(diags, prefix), format);
    if (text) stream.write(text);
  };
}

/**
 * Where the federation repo lies in the checkout, as a posix path ('' at its root), or undefined
 * when it lies outside. GitHub reads an annotation's file from the root of the checkout: the
 * workflow's workspace (GITHUB_WORKSPACE), where a step runs, else the working directory. fedc
 * names files from the federation repo, which is often a directory of the checkout (`path:`).
 */
export function repoInCheckout(repoDir: string, checkout = process.env.GITHUB_WORKSPACE || process.cwd()): string | undefined {
  const rel = path.relative(path.resolve(checkout), path.resolve(repoDir));
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/**
 * A path as a person at the working directory reads it: relative when it lies there or below
 * ('.' for the directory itself), else as given (absolute, or `../x` as typed).
 */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === '' ? '.' : leavesBase(rel) ? p : rel;
}

/** The federation repo's directory as text diagnostics put it before a file: displayPath's, posix ('' for the working directory). */
export function repoFromWorkingDir(repoDir: string): string {
  const shown = displayPath(repoDir);
  return shown === '.' ? '' : shown.split(path.sep).join('/');
}

/**
 * Diagnostics with their files (named from the repo) named from where `prefix` (the repo's path
 * from there) is seen: the file of each, and the places its message and hint quote (`related`).
 */
export function namedFrom(diags: readonly Diagnostic[], prefix: string | undefined): readonly Diagnostic[] {
  if (!prefix) return diags;
  const name = (file: string) => (file && !path.posix.isAbsolute(file) ? path.posix.join(prefix, file) : file);
  return diags.map((d) => {
    const out: Diagnostic = { ...d, file: name(d.file) };
    if (!d.related) return out;
    for (const r of d.related) {
      const from = `${r.file}:${r.line}:${r.col}`;
      const to = `${name(r.file)}:${r.line}:${r.col}`;
      out.message = out.message.split(from).join(to);
      if (out.hint) out.hint = out.hint.split(from).join(to);
    }
    out.related = d.related.map((r) => ({ ...r, file: name(r.file) }));
    return out;
  });
}
