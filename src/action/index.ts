// Entry of the GitHub Action (action.yml). The committed bundle is built from this by
// `npm run build:action`; a test fails when it differs from a fresh build.
import { runAction } from './run-action.js';
import { runnerFromEnv } from './runner.js';

try {
  process.exitCode = await runAction(runnerFromEnv());
} catch (err) {
  process.stdout.write(`::error title=fedc::internal error: ${String((err as Error).message).replace(/\r?\n/g, ' ')}\n`);
  process.exitCode = 3;
}
