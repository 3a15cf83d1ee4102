#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// Writing tens of thousands of files is faster with more of them in flight than libuv's default
// four threads allow; the pool size is read when the pool first starts, so set it before loading.
process.env.UV_THREADPOOL_SIZE ??= '16';
// A large fleet's compile leaves much garbage behind: by default V8 lets the heap grow to about
// twice what is live before it collects, which took a 200-cluster render past 500 MiB. Growing
// by half as much keeps it near 450 MiB for some 10% more time there, and costs nothing
// measurable on smaller repos (the heap never gets large).
setFlagsFromString('--heap-growing-percent=50');
await import('./program.js');
