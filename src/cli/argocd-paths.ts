import { existsSync } from 'node:fs';
import path from 'node:path';
import { SETTINGS_FILE } from '../read/settings.js';

// Where an Argo CD application's federation repo lies. Light on purpose: `fedc argocd discover`
// runs for every Application the repo-server refreshes, and loads nothing else.

/**
 * The federation repo an application path belongs to: the nearest directory, from the app's
 * directory up to the repository's root, that holds a fedc.yaml; else the app's directory.
 */
export function federationRoot(appDir: string, sourcePath: string | undefined): string {
  const found = settingsFileFor(appDir, sourcePath);
  return found === undefined ? path.resolve(appDir) : path.dirname(found);
}

/** The nearest fedc.yaml from the app's directory up to the repository's root; undefined when there is none. */
function settingsFileFor(appDir: string, sourcePath: string | undefined): string | undefined {
  let dir = path.resolve(appDir);
  for (let i = 0; i <= depthOf(sourcePath); i++) {
    const file = path.join(dir, SETTINGS_FILE);
    if (existsSync(file)) return file;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** The root of the repository's copy: the app's directory is ARGOCD_APP_SOURCE_PATH below it. */
export function repositoryRoot(appDir: string, sourcePath: string | undefined): string {
  let dir = path.resolve(appDir);
  for (let i = 0; i < depthOf(sourcePath); i++) dir = path.dirname(dir);
  return dir;
}

/** How many directories the app's lies below the repository's root (`a/../b` is one). */
const depthOf = (sourcePath: string | undefined) => (sourcePath ? path.posix.normalize(sourcePath).split('/').filter((s) => s !== '' && s !== '.').length : 0);

/**
 * `fedc argocd discover`: plugin.yaml's discover command, which argocd-cmp-server runs in the
 * application's directory and reads as "supported" when it prints anything. It prints the
 * fedc.yaml that generate would use (the nearest from the app path up to the repository's root),
 * relative to that root, and nothing when there is none, so that the plugin never claims an
 * Application that is not a federation repo; with a plugin name given, Argo CD still needs a match.
 */
export function runArgoDiscover(env: NodeJS.ProcessEnv = process.env): number {
  const found = settingsFileFor(process.cwd(), env.ARGOCD_APP_SOURCE_PATH);
  if (found !== undefined) process.stdout.write(`${path.relative(repositoryRoot(process.cwd(), env.ARGOCD_APP_SOURCE_PATH), found).split(path.sep).join('/')}\n`);
  return 0;
}
