import path from 'node:path';

/**
 * Helm charts in a repo. A directory that holds a Chart.yaml is a chart: its values, templates
 * and subcharts are Helm's input, not Kubernetes objects, so fedc skips the whole directory.
 */
export function helmChartRoots(paths: readonly string[]): string[] {
  return paths.filter((p) => /(^|\/)Chart\.ya?ml$/.test(p)).map((p) => path.posix.dirname(p));
}

/** The chart directory a file belongs to ('.' for a chart at the repo root), if any. */
export function chartOf(file: string, roots: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const r of roots) {
    if (r === '.' || file.startsWith(`${r}/`)) {
      if (best === undefined || r.length > best.length) best = r;
    }
  }
  return best;
}

const ACTION = /\{\{-?\s*(?:[.$("]|-?\/\*|(?:if|else|end|range|with|define|include|template|block|toYaml|tpl|required|default|printf|quote|lookup)\b)/;

/** Offset of the first Go template action (`{{ .Values.x }}`, `{{- if ... }}`), or -1. */
export function templateActionAt(text: string): number {
  const m = ACTION.exec(text);
  return m ? m.index : -1;
}

/** A Go template action, over several lines too (a comment action, say). */
const ACTIONS = /\{\{[\s\S]*?\}\}/g;

/**
 * The text with its Go template actions taken out, to tell a template from YAML with a mistake:
 * an action alone on its lines (`{{- if .Values.x }}`) becomes blank, one within a line
 * (`name: {{ .Release.Name }}-web`) the word `x`. A file YAML refuses is a template only when
 * this parses; one that holds `{{ }}` as data (an Alertmanager template in a ConfigMap) and a
 * real mistake still fails, and its mistake is reported.
 */
export function withoutActions(text: string): string {
  return text.replace(ACTIONS, (action: string, at: number) => {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const nl = text.indexOf('\n', at + action.length);
    const lineEnd = nl === -1 ? text.length : nl;
    const alone = text.slice(lineStart, at).trim() === '' && text.slice(at + action.length, lineEnd).trim() === '';
    return alone ? action.replace(/[^\n]/g, ' ') : 'x';
  });
}
