import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, readdirSync, statSync, renameSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { makeDirs } from '../emit/make-dirs.js';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { CompileResult } from '../compile.js';
import type { RenderedObject } from '../render/render-clusters.js';
import { listTree } from './list-tree.js';
import type { OutputFiles } from './output-files.js';
import { readRegularFile } from './read-repo.js';

/**
 * A content-addressed cache of compile results, so that a run whose inputs were seen before (the
 * Argo CD plugin on every refresh, pre-commit, `fedc diff`'s base side) skips parsing and
 * compiling. Invisible in the output: a hit gives the very result a compile would.
 *
 * - Key: fedc's own code (its files' sizes and times), the compile's options, and the bytes of
 *   every input file and of fedc.yaml (for a commit, its inputs' blob ids: load-repo.ts). Files
 *   of the previous output that the compile read (replicas, SOA serials) are recorded in the
 *   entry and compared on every hit. Entries hold the rendered objects, not their YAML.
 * - Records (getRecord, putRecord): the output stamps (emit/output-stamp.ts), kept the same way.
 * - Where: FEDC_CACHE_DIR as given, else $XDG_CACHE_HOME/fedc (an absolute one only: the XDG spec
 *   says a relative one is invalid), else ~/.cache/fedc; so by default never in the repo. The
 *   directory is the user's only (0700), entries too (0600): they hold parsed inputs, Secrets
 *   included.
 * - Safe: entries are written to a temporary file and renamed, so a reader sees a whole entry or
 *   none; each carries the SHA-256 of its key and payload, and a corrupt or truncated one, or one
 *   under another key's name (copied, renamed), is ignored. Only a regular file no larger than
 *   the bound is read: a symlink, a FIFO or a device in its place is no entry.
 * - Bounded: FEDC_CACHE_MAX_MB MiB (default 512, also for 0 or not a number; at least 1): after a
 *   write over it, the least recently used entries go until it is at 80%.
 * - Any IO problem disables the cache for the run; it never fails one.
 */
export interface CompileCache {
  /** The result of a compile seen before, with the files of the previous output it read; undefined on a miss. */
  get(key: string): { result: CompileResult; reads: OutputReads } | undefined;
  put(key: string, result: CompileResult, reads: OutputReads): void;
  /** A small record kept beside the results (the output stamp), stored and checked the same way. */
  getRecord(key: string): unknown;
  putRecord(key: string, value: unknown): void;
}

/** Files of the previous output the compile read: relative path -> SHA-256 of the text, or null when absent. */
export type OutputReads = Map<string, string | null>;

const MAGIC = Buffer.from('fedc-cache-3\n');
const ENTRY = /^[0-9a-f]{64}\.bin$/;

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FEDC_CACHE_DIR) return path.resolve(env.FEDC_CACHE_DIR);
  // a relative XDG_CACHE_HOME is invalid (XDG Base Directory spec): it would put the cache in the cwd
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache');
  return path.join(base, 'fedc');
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** fedc's own code, so that a rebuilt fedc never reads an entry an older one wrote. */
let codeId: string | undefined;
function codeIdentity(): string {
  if (codeId !== undefined) return codeId;
  // dist/read/compile-cache.js -> dist/, or the Action's bundle directory
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.basename(here) === 'read' ? path.dirname(here) : here;
  const h = createHash('sha256');
  const files = listTree(root).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  for (const full of files.sort((a, b) => (a < b ? -1 : 1))) {
    const s = statSync(full);
    h.update(`${path.relative(root, full)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return (codeId = h.digest('hex'));
}

/** The key of a compile: fedc's code, its options, fedc.yaml and every input file. */
export function compileKey(options: unknown, settingsText: string | undefined, files: readonly { path: string; text: string }[]): string {
  const h = createHash('sha256');
  h.update(codeIdentity()).update('\0').update(JSON.stringify(options)).update('\0').update(settingsText ?? '\u0000none').update('\0');
  for (const f of files) h.update(f.path).update('\0').update(sha256(f.text)).update('\0');
  return h.digest('hex');
}

/** An OutputFiles that records what it was asked, for the entry. */
export function recordingOutput(output: OutputFiles): { output: OutputFiles; reads: OutputReads } {
  const reads: OutputReads = new Map();
  return {
    reads,
    output: (rel) => {
      const text = output(rel);
      reads.set(rel, text === undefined ? null : sha256(text));
      return text;
    },
  };
}

export function openCompileCache(output: OutputFiles, env: NodeJS.ProcessEnv = process.env): CompileCache | undefined {
  const dir = cacheDir(env);
  try {
    // only a directory fedc creates is made its owner's only: one the user named keeps its mode
    if (makeDirs(dir, 0o700) !== undefined) chmodSync(dir, 0o700);
  } catch {
    return undefined;
  }
  const maxBytes = Math.max(1, Number(env.FEDC_CACHE_MAX_MB) || 512) * 1024 * 1024;
  const file = (key: string) => path.join(dir, `${key}.bin`);
  /** The payload of an entry; undefined when absent, and when damaged (it is deleted then). */
  const read = (key: string): unknown => {
    const got = readRegularFile(file(key), maxBytes);
    if (got === undefined || 'size' in got) {
      // not a regular file (a symlink, a FIFO) or too large: in the way of a real entry. Absent
      // (a miss) is left alone: a concurrent run may be renaming its entry into place.
      if (got !== undefined || notRegular(file(key))) tryUnlink(file(key));
      return undefined;
    }
    if ('error' in got) return undefined;
    const value = decode(key, got.bytes);
    if (value === undefined) {
      tryUnlink(file(key));
      return undefined;
    }
    try {
      const now = new Date();
      utimesSync(file(key), now, now);
    } catch {
      // still a hit
    }
    return value;
  };
  const write = (key: string, value: unknown): void => {
    const payload = serialize(value);
    const digest = entryDigest(key, payload);
    const tmp = path.join(dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, Buffer.concat([MAGIC, digest, payload]), { mode: 0o600 });
      renameSync(tmp, file(key));
    } catch {
      tryUnlink(tmp);
      return;
    }
    prune(dir, maxBytes);
  };
  return {
    get(key) {
      const v = read(key) as { result: Packed; reads: [string, string | null][] } | undefined;
      if (!v || typeof v !== 'object' || !Array.isArray(v.reads)) return undefined;
      const reads: OutputReads = new Map(v.reads);
      for (const [rel, digest] of reads) {
        const text = output(rel);
        if ((text === undefined ? null : sha256(text)) !== digest) return undefined;
      }
      try {
        return { result: unpack(v.result), reads };
      } catch {
        return undefined;
      }
    },
    put(key, result, reads) {
      write(key, { result: pack(result), reads: [...reads] });
    },
    getRecord: read,
    putRecord: write,
  };
}

/** What an entry carries after its magic: the SHA-256 of the key it is stored under and its payload. */
function entryDigest(key: string, payload: Uint8Array): Buffer {
  return createHash('sha256').update(`${key}\0`).update(payload).digest();
}

function decode(key: string, buf: Buffer): unknown {
  if (buf.length < MAGIC.length + 32 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const digest = buf.subarray(MAGIC.length, MAGIC.length + 32);
  const payload = buf.subarray(MAGIC.length + 32);
  if (!entryDigest(key, payload).equals(digest)) return undefined;
  try {
    return deserialize(payload);
  } catch {
    return undefined;
  }
}

/** Keeps the cache under maxBytes: the least recently used entries (and stale temp files) go. */
/** A temporary entry as write() names it: `.<key>.<12 hex>.tmp`. */
const TEMP = /^\.[0-9a-f]{64}\.[0-9a-f]{12}\.tmp$/;

function prune(dir: string, maxBytes: number): void {
  try {
    const entries = readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      try {
        // the name itself, not what a symlink leads to: only regular files hold bytes of the cache
        const s = lstatSync(full);
        if (!s.isFile()) return [];
        // only fedc's own temporary files (write() names them so), never another file of the
        // directory; a writer killed before its rename leaves one, which counts until it goes
        if (TEMP.test(name)) {
          if (Date.now() - s.mtimeMs <= 3600_000) return [{ full, size: s.size, used: s.mtimeMs, writing: true }];
          tryUnlink(full);
          return [];
        }
        return ENTRY.test(name) ? [{ full, size: s.size, used: s.mtimeMs, writing: false }] : [];
      } catch {
        return [];
      }
    });
    let total = entries.reduce((n, e) => n + e.size, 0);
    if (total <= maxBytes) return;
    for (const e of entries.filter((x) => !x.writing).sort((a, b) => a.used - b.used)) {
      if (total <= maxBytes * 0.8) break;
      tryUnlink(e.full);
      total -= e.size;
    }
  } catch {
    // a cache that cannot be pruned still works
  }
}

/** Whether something other than a regular file is at `p` (false when nothing is). */
function notRegular(p: string): boolean {
  try {
    return !lstatSync(p).isFile();
  } catch {
    return false;
  }
}

function tryUnlink(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    // gone already
  }
}

/**
 * A compile result as stored: the clusters' objects as rows into one table of what they share
 * (most clusters get the same object of the same resource), which is far quicker to read back
 * than one record per placed object.
 */
interface Packed {
  rest: Omit<CompileResult, 'clusters'>;
  clusters: { name: string; ready: boolean; rows: number[] }[];
  /** Distinct rendered objects (their fields but the object), and the objects they carry. */
  heads: Omit<RenderedObject, 'object'>[];
  objects: Record<string, unknown>[];
}

function pack(r: CompileResult): Packed {
  const heads: Omit<RenderedObject, 'object'>[] = [];
  const objects: Record<string, unknown>[] = [];
  const headIds = new Map<string, number>();
  const objectIds = new Map<object, number>();
  const clusters = r.clusters.map((c) => {
    const rows: number[] = [];
    for (const o of c.objects) {
      const { object, ...head } = o;
      let oi = objectIds.get(object);
      if (oi === undefined) objectIds.set(object, (oi = objects.push(object) - 1));
      const hk = `${o.source.file}\0${o.source.docIndex}\0${JSON.stringify(o.source.within ?? null)}\0${o.overrideIndex ?? ''}\0${o.apiVersion}\0${o.kind}\0${o.namespace}\0${o.name}`;
      let hi = headIds.get(hk);
      if (hi === undefined) headIds.set(hk, (hi = heads.push(head) - 1));
      rows.push(hi, oi);
    }
    return { name: c.name, ready: c.ready, rows };
  });
  const { clusters: _c, ...rest } = r;
  // No YAML texts: storing them cost serializing every object on every miss (fedc diff needs the
  // changed ones only), and a hit writes its objects with the fast emitter in far less time.
  return { rest, clusters, heads, objects };
}

function unpack(p: Packed): CompileResult {
  return {
    ...p.rest,
    clusters: p.clusters.map((c) => {
      const objects: RenderedObject[] = [];
      for (let i = 0; i < c.rows.length; i += 2) objects.push({ ...p.heads[c.rows[i]!]!, object: p.objects[c.rows[i + 1]!]! });
      return { name: c.name, ready: c.ready, objects };
    }),
  };
}
