#!/usr/bin/env node
// Writing tens of thousands of files is faster with more of them in flight than libuv's default
// four threads allow; the pool size is read when the pool first starts, so set it before loading.
process.env.UV_THREADPOOL_SIZE ??= '16';
// Not awaited, so that this file has no top-level await: the bin is this file built as CommonJS
// (scripts/build-cli.mjs), which starts faster than an ES module.
void import('./program.js');
