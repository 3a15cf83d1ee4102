import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, type Format } from '../diagnostics/format.js';

/**
 * Text is for people and goes to stderr. JSON and GitHub annotations are for machines and go to
 * stdout, unless stdout carries the rendered YAML stream. GitHub annotations name each file from
 * the root of the checkout (see repoInCheckout), given the federation repo's directory.
 */
export function diagnosticsPrinter(format: Format, stdoutFree: boolean, repoDir?: string): (diags: readonly Diagnostic[]) => void {
  const stream = format !== 'text' && stdoutFree ? process.stdout : process.stderr;
  const prefix = format === 'github' && repoDir !== undefined ? repoInCheckout(repoDir) : undefined;
  return (diags) => {
    const text = formatDiagnostics(fromCheckout(diags, prefix), format);
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

/** Diagnostics with their files named from the checkout's root, given repoInCheckout's answer. */
export function fromCheckout(diags: readonly Diagnostic[], prefix: string | undefined): readonly Diagnostic[] {
  return prefix ? diags.map((d) => (d.file && !path.posix.isAbsolute(d.file) ? { ...d, file: path.posix.join(prefix, d.file) } : d)) : diags;
}
