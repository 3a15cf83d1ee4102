// The esbuild options every bundle of fedc's shares (the CLI's scripts, its entry, the GitHub
// Action): one ES module for Node 20, its dependencies inside, their licence comments at the end.
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'eof',
  logLevel: 'warning',
};
