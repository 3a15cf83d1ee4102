/**
 * A federation repo in a real git repository, with history, for the tests of `fedc diff` and the
 * GitHub Action. `main` has three clusters (aws, azure, gke) and a few objects in namespace shop;
 * branch `feature` changes an override, a Secret, a placement, deletes an object and changes a
 * template every cluster gets; then `main` moves on (a new object), so that only a merge-base
 * diff shows the pull request's own changes. `feature` is checked out at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clusterYaml } from './helpers.js';

export const PASSWORD_OLD = 'hunter2-old-plain';
export const PASSWORD_NEW = 'correct-horse-new-plain';
export const TOKEN_OLD = Buffer.from('token-old-value').toString('base64');
export const TOKEN_NEW = Buffer.from('token-new-value').toString('base64');
export const SECRETS = [PASSWORD_OLD, PASSWORD_NEW, TOKEN_OLD, TOKEN_NEW, Buffer.from(PASSWORD_OLD).toString('base64'), Buffer.from(PASSWORD_NEW).toString('base64')];

export const NAMESPACE = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: shop, namespace: shop}
spec:
  placement: {clusterSelector: {}}
`;
export const deployment = (clouds: string, awsReplicas: number) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - {name: web, image: "nginx:1.25"}
  placement:
    clusterSelector:
      matchExpressions:
      - {key: cloud, operator: In, values: [${clouds}]}
  overrides:
  - clusterName: aws
    clusterOverrides:
    - {path: /spec/replicas, value: ${awsReplicas}}
`;
export const secret = (password: string, token: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedSecret
metadata: {name: db, namespace: shop}
spec:
  template:
    type: Opaque
    stringData: {password: ${password}}
    data: {token: ${token}, user: ${Buffer.from('app').toString('base64')}}
  placement: {clusterSelector: {}}
`;
export const configMap = (name: string, level: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: ${name}, namespace: shop}
spec:
  template:
    data: {LOG_LEVEL: ${level}}
  placement: {clusterSelector: {}}
`;

export const CLUSTERS = clusterYaml('aws', { cloud: 'aws' }) + '---\n' + clusterYaml('azure', { cloud: 'azure' }) + '---\n' + clusterYaml('gke', { cloud: 'gcp' });


export interface FleetRepo {
  repo: string;
  git(...args: string[]): string;
  write(rel: string, text: string): void;
}

/** Runs git in `repo` with a fixed identity and no user configuration. */
export function gitIn(repo: string, ...args: string[]): string {
  const r = spawnSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export function createFleetRepo(repo: string): FleetRepo {
  mkdirSync(repo, { recursive: true });
  const git = (...args: string[]) => gitIn(repo, ...args);
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    writeFileSync(path.join(repo, rel), text);
  };
  git('init', '-q', '-b', 'main');
  write('clusters.yaml', CLUSTERS);
  write('shop/namespace.yaml', NAMESPACE);
  write('shop/web.yaml', deployment('aws, azure', 3));
  write('shop/db.yaml', secret(PASSWORD_OLD, TOKEN_OLD));
  write('shop/flags.yaml', configMap('flags', 'info'));
  write('shop/legacy.yaml', configMap('legacy', 'info'));
  git('add', '-A');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'feature');
  write('shop/web.yaml', deployment('aws, azure, gcp', 5));
  write('shop/db.yaml', secret(PASSWORD_NEW, TOKEN_NEW));
  write('shop/flags.yaml', configMap('flags', 'debug'));
  rmSync(path.join(repo, 'shop/legacy.yaml'));
  git('add', '-A');
  git('commit', '-qm', 'feature');
  git('checkout', '-q', 'main');
  write('shop/added-on-main.yaml', configMap('added-on-main', 'info'));
  git('add', '-A');
  git('commit', '-qm', 'main moves on');
  git('checkout', '-q', 'feature');
  return { repo, git, write };
}
