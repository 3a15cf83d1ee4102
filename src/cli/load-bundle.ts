import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/**
 * The bundled CLI's stand-in for ./program.js (scripts/build-cli.mjs puts it in dist/cli/main.cjs, the bin):
 * runs the CLI from two scripts, compiled with the V8 code cache the build made for each, so that a
 * start does not parse the CLI's 1.6 MB of JavaScript again (Node 20 caches code only for vm.Script,
 * not for ES modules).
 *
 * - bundle-program.js: program.ts and what it imports (commander): --help and --version need no more.
 * - bundle-commands.js: the commands and all under them, loaded when program.ts imports a command.
 *
 * Each script is `(async function (require, __fedc) {...})` around esbuild's output, so its lines
 * and the stack traces through it are those of the file. Beside each is <name>.code-cache: a header
 * (MAGIC, then the SHA-256 of the script's bytes and of the V8 data) and V8's data. A cache that is
 * missing, not of this script, damaged, or refused by V8 (another Node, other V8 flags) is ignored:
 * the script compiles from source. The digest because V8 checks little itself: of the source only
 * its length, and its data not at all beyond a header (damaged data can crash the process).
 *
 * The cache is only read here, never written, but for the build's training run
 * (FEDC_BUILD_CODE_CACHE=1, set by scripts/build-cli.mjs only: it writes each loaded script's cache
 * when the process exits, so the functions the run compiled are in it). Test hook, not for users:
 * FEDC_TEST_TRACE_CODE_CACHE=1 prints "fedc-test: code cache <script> <status>" on stderr as each
 * script loads (accepted, rejected by V8, invalid, missing, training).
 */

/** What a script is given as __fedc: how its modules find their URLs and those of the other script. */
export interface BundleHost {
  /** dist/cli/ as a URL: the base the scripts' import.meta.url are rebuilt from. */
  url: string;
  /** bundle-program: the namespaces of its modules that bundle-commands imports too, by path under dist/. */
  share(namespaces: Record<string, object>): void;
  /** bundle-commands: a module of bundle-program's. */
  shared(id: string): object;
  /** bundle-commands: the modules bundle-program imports dynamically, each as a function importing it. */
  provide(modules: Record<string, () => Promise<object>>): void;
  /** bundle-program: import() of a module of bundle-commands (a command). */
  import(id: string): Promise<object>;
}

type ScriptBody = (require: NodeJS.Require, host: BundleHost) => Promise<void>;

const MAGIC = Buffer.from('fedc-v8-code-cache-1\n'.padEnd(32, '\0'));
const HEADER = MAGIC.length + 32;

const DIR = path.dirname(fileURLToPath(import.meta.url));
const training = process.env.FEDC_BUILD_CODE_CACHE === '1';
const trace = process.env.FEDC_TEST_TRACE_CODE_CACHE === '1';

const digest = (source: Buffer, data: Uint8Array) => createHash('sha256').update(source).update(data).digest();

/** The V8 data of a cache file if it was made for exactly this script and is whole; else undefined. */
function cachedDataFor(file: string, source: Buffer): Buffer | undefined {
  const bytes = readFileSync(file);
  if (bytes.length <= HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const data = bytes.subarray(HEADER);
  return digest(source, data).equals(bytes.subarray(MAGIC.length, HEADER)) ? data : undefined;
}

function runScript(name: string, host: BundleHost): Promise<void> {
  const file = path.join(DIR, `${name}.js`);
  const cacheFile = path.join(DIR, `${name}.code-cache`);
  const bytes = readFileSync(file);
  // The build keeps the scripts ASCII: read as Latin-1, a one-byte string, without decoding UTF-8.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cachedData: Buffer | undefined;
  let status = training ? 'training' : 'missing';
  if (!training) {
    try {
      cachedData = cachedDataFor(cacheFile, bytes);
      if (!cachedData) status = 'invalid';
    } catch {
      // no cache (or unreadable): compile from source
    }
  }
  const script = new Script(source, { filename: file, cachedData });
  if (cachedData) status = script.cachedDataRejected ? 'rejected' : 'accepted';
  if (trace) process.stderr.write(`fedc-test: code cache ${name} ${status}\n`);
  // After the run, not before, so that the functions it compiled on first call are in the cache.
  if (training) {
    process.on('exit', () => {
      const data = script.createCachedData();
      writeFileSync(cacheFile, Buffer.concat([MAGIC, digest(bytes, data), data]));
    });
  }
  return (script.runInThisContext() as ScriptBody)(createRequire(file), host);
}

function host(): BundleHost {
  const shared = new Map<string, object>();
  const provided = new Map<string, () => Promise<object>>();
  let commands: Promise<void> | undefined;
  const h: BundleHost = {
    url: pathToFileURL(DIR + path.sep).href,
    share: (namespaces) => {
      for (const [id, ns] of Object.entries(namespaces)) shared.set(id, ns);
    },
    shared: (id) => {
      const ns = shared.get(id);
      if (!ns) throw new Error(`fedc: bundle-program.js does not share ${id}: run npm run build`);
      return ns;
    },
    provide: (modules) => {
      for (const [id, load] of Object.entries(modules)) provided.set(id, load);
    },
    import: async (id) => {
      await (commands ??= runScript('bundle-commands', h));
      const load = provided.get(id);
      if (!load) throw new Error(`fedc: bundle-commands.js has no module ${id}: run npm run build`);
      return load();
    },
  };
  return h;
}

// Not awaited: the bin is built as CommonJS, which has no top-level await. The program reports its
// own errors; one it cannot (a script that fails to load) ends the process as an uncaught error
// does, with its stack, which names the script's file and line.
void runScript('bundle-program', host());
