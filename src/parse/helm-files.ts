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
