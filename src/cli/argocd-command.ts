import path from 'node:path';
import { federationRoot, repositoryRoot } from './argocd-paths.js';
import { EXIT_USAGE } from './exit-codes.js';
import { runRender } from './render-command.js';

/**
 * `fedc argocd generate`: the generate command of fedc's Argo CD config-management plugin.
 * argocd-cmp-server runs it without a shell in the application's directory of a fresh copy of the
 * repository, so it takes everything from the environment Argo CD sets: the member cluster from
 * ARGOCD_ENV_FEDC_CLUSTER (the Application's plugin env) or the plugin parameter `cluster`
 * (PARAM_CLUSTER). It prints that cluster's objects, and only them, on stdout, exactly as
 * `fedc render --stdout --cluster` does; diagnostics go to stderr. An empty stream fails: with
 * pruning on, Argo CD would delete everything on the cluster.
 */
export async function runArgoGenerate(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // an empty FEDC_CLUSTER (an env entry left blank) is no choice: the parameter may still be set
  const fromEnv = env.ARGOCD_ENV_FEDC_CLUSTER?.trim();
  const from = fromEnv ? 'FEDC_CLUSTER' : 'the parameter cluster';
  const cluster = fromEnv || (env.PARAM_CLUSTER ?? '').trim();
  if (!cluster) {
    process.stderr.write('fedc argocd generate: no member cluster: set FEDC_CLUSTER in the Application\'s plugin env (spec.source.plugin.env), or the plugin parameter cluster\n');
    return EXIT_USAGE;
  }
  const root = federationRoot(process.cwd(), env.ARGOCD_APP_SOURCE_PATH);
  return runRender(root, {
    stdout: true, cluster: [cluster], format: 'text',
    words: {
      clusterTerm: from,
      emptyHint: 'an empty stream would make Argo CD prune everything on that cluster, so the plugin never prints one: place an object on the cluster, or remove its Application',
      // Files named from the repository's root, as the user sees them in git (not from the copy's path).
      textPrefix: path.relative(repositoryRoot(process.cwd(), env.ARGOCD_APP_SOURCE_PATH), root).split(path.sep).join('/'),
    },
  });
}
