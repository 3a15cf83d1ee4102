import { fnv1_32 } from '../plan/plan-replicas.js';

/**
 * `fedc render --shard i/n`: which clusters a shard renders. A cluster belongs to shard
 * `fnv1_32(name) mod n + 1` (FNV-1, 32 bits, over the UTF-8 bytes of its name: Go's hash/fnv New32,
 * the hash KubeFed's scheduler uses). It depends on the cluster's name and n alone, so adding or
 * removing a cluster moves no other cluster to another shard (changing n does). Everything of the
 * output that is not a cluster directory (dns/, and any file fedc once wrote directly in
 * clusters/) belongs to shard 1.
 */
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** The shard that writes dns/. */
export const DNS_SHARD = 1;

/** `i/n` with 1 <= i <= n, or undefined. */
export function parseShard(text: string): Shard | undefined {
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || index > count) return undefined;
  return { index, count };
}

/** The 1-based shard of a cluster among `count` shards. */
export function shardOf(cluster: string, count: number): number {
  return (fnv1_32(cluster) % count) + 1;
}

export function inShard(cluster: string, shard: Shard): boolean {
  return shardOf(cluster, shard.count) === shard.index;
}

export function shardText(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
