// @ts-check
/**
 * Preloaded by the benchmark into every Node process of a command it measures (NODE_OPTIONS=--require):
 * each writes its peak resident memory to BENCH_USAGE_DIR/<pid>.json when it exits. Plain JavaScript, so
 * the floor it measures loads no TypeScript loader.
 */
"use strict";
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");

const dir = process.env["BENCH_USAGE_DIR"];
if (dir !== undefined) {
  process.on("exit", () => {
    writeFileSync(join(dir, `${String(process.pid)}.json`), JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
  });
}
