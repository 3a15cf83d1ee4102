import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Script } from 'node:vm';

/**
 * V8's compiled code for the Kubernetes schema factories, which builtin-schemas.ts compiles one by
 * one on first use: a 20 x 500 render spent some 9 ms compiling the few dozen it used and the
 * functions of theirs it ran, and loads their code from here in about 2. Made by the build's training render (scripts/build-cli.mjs sets
 * FEDC_BUILD_CODE_CACHE=1), which writes, as it exits, the code of every factory it compiled with
 * the functions it ran; only read otherwise. A factory the training did not use, a damaged entry
 * (each holds the SHA-256 of the factory's source and of V8's data: V8 checks little itself, and
 * damaged data can crash it), data V8 refuses (another Node, other flags) and a missing file all
 * mean compiling from source, with the same result.
 *
 * The file: MAGIC, the index's length (4 bytes), the index (JSON: definition id -> [offset,
 * length, digest] of its data after the index), then the data.
 */
const MAGIC = Buffer.from('fedc-schema-code-cache-1\n'.padEnd(32, '\0'));

type Index = Record<string, [offset: number, length: number, digest: string]>;

/**
 * How a factory compiled, for FEDC_TEST_TRACE_CODE_CACHE: with its cached code (accepted), from
 * source because V8 refused it (rejected), the entry or the file was damaged (invalid), there is no
 * file (missing), the training did not use it (absent), or while training.
 */
export type CacheUse = 'accepted' | 'rejected' | 'invalid' | 'missing' | 'absent' | 'training';

const digest = (source: string, data: Uint8Array) => createHash('sha256').update(source).update(data).digest('hex');

export class SchemaCodeCache {
  private loaded: { index: Index; data: Buffer } | null | 'invalid' | undefined;
  private readonly made = new Map<string, { source: string; script: Script }>();
  /** How each factory compiled, for the trace. */
  readonly uses = new Map<string, CacheUse>();

  constructor(private readonly file: string, private readonly training: boolean) {}

  /**
   * The factory compiled from `source`, a function expression: with its cached code where the
   * cache holds it for exactly this source, else from source.
   */
  compile(id: string, source: string, options: { filename: string; lineOffset: number; columnOffset: number }): unknown {
    const cached = this.training ? 'training' : this.entry(id, source);
    const script = new Script(source, { ...options, ...(typeof cached === 'string' ? {} : { cachedData: cached }) });
    this.uses.set(id, typeof cached === 'string' ? cached : script.cachedDataRejected ? 'rejected' : 'accepted');
    if (this.training) this.made.set(id, { source, script });
    return script.runInThisContext();
  }

  /** The training run's end: the code of every factory compiled, with the functions it ran. */
  write(): void {
    const index: Index = {};
    const blobs: Buffer[] = [];
    let at = 0;
    for (const [id, { source, script }] of [...this.made].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const data = script.createCachedData();
      index[id] = [at, data.length, digest(source, data)];
      blobs.push(data);
      at += data.length;
    }
    const json = Buffer.from(JSON.stringify(index));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    writeFileSync(this.file, Buffer.concat([MAGIC, length, json, ...blobs]));
  }

  /** The cached code for `id` if it was made from exactly `source` and is whole; else why not. */
  private entry(id: string, source: string): Buffer | 'missing' | 'absent' | 'invalid' {
    const c = this.load();
    if (c === null) return 'missing';
    if (c === 'invalid') return 'invalid';
    if (!Object.hasOwn(c.index, id)) return 'absent';
    const e: unknown = c.index[id];
    if (!Array.isArray(e)) return 'invalid';
    const [offset, length, sum] = e as unknown[];
    if (!Number.isInteger(offset) || !Number.isInteger(length) || typeof sum !== 'string') return 'invalid';
    const from = offset as number;
    const to = from + (length as number);
    if (from < 0 || to > c.data.length) return 'invalid';
    const data = c.data.subarray(from, to);
    return digest(source, data) === sum ? data : 'invalid';
  }

  /** The file's index and data; null without the file, 'invalid' when it is not one. */
  private load(): { index: Index; data: Buffer } | null | 'invalid' {
    if (this.loaded !== undefined) return this.loaded;
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file);
    } catch {
      return (this.loaded = null);
    }
    this.loaded = 'invalid';
    if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return this.loaded;
    const end = MAGIC.length + 4 + bytes.readUInt32BE(MAGIC.length);
    if (end > bytes.length) return this.loaded;
    try {
      const index: unknown = JSON.parse(bytes.subarray(MAGIC.length + 4, end).toString('utf8'));
      if (index && typeof index === 'object' && !Array.isArray(index)) this.loaded = { index: index as Index, data: bytes.subarray(end) };
    } catch {
      // not an index: the file is invalid
    }
    return this.loaded;
  }
}
