/**
 * Preloaded by the benchmark (`node --import`): when the process exits, writes
 * its wall time and peak resident memory to the file named by BENCH_USAGE_FILE.
 */
import { writeFileSync } from "node:fs";

const file = process.env["BENCH_USAGE_FILE"];
const started = performance.now();
if (file !== undefined) {
  process.on("exit", () => {
    writeFileSync(file, JSON.stringify({ wallMs: Math.round(performance.now() - started), maxRssKb: process.resourceUsage().maxRSS }));
  });
}
