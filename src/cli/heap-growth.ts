import { setFlagsFromString } from 'node:v8';

/** Input text (in characters) from which a compile's heap is let grow more slowly. */
export const LARGE_INPUT_CHARS = 8 * 1024 * 1024;

let slowed = false;

/**
 * A large fleet's compile leaves much garbage behind: by default V8 lets the heap grow to about
 * twice what is live before it collects, which took a 200-cluster render (22 MB of inputs) past
 * 500 MiB. Growing by half as much keeps it lower for some 10% more time there. Below some
 * megabytes of input the heap never gets large and the default is faster (a 20 x 500 render
 * collected more often for nothing), so only a large input turns it on. Set after fedc's code is
 * loaded: a V8 flag set before would make V8 refuse the CLI's code cache, made without it.
 */
export function growHeapSlowlyFor(inputChars: number): void {
  if (slowed || inputChars < LARGE_INPUT_CHARS) return;
  setFlagsFromString('--heap-growing-percent=50');
  slowed = true;
}
