// `npm run bench` runs end to end and prints its tables. Figures are printed, never asserted.
// Not part of `npm test` (it takes half a minute of evaluations): `npm run test:bench`, which .ci/run runs.
import { runTool } from "../helpers/tool";
import { describe, expect, it } from "vitest";

describe("npm run bench", () => {
  // The engine part (a real `pulumi preview`) is left out here: `npm test` stays Node-only.
  it("prints the plan against its floor, per-stack figures and the growth table", () => {
    const result = runTool("bench", [], {
      timeout: 170_000,
      env: { ...process.env, BENCH_RUNS: "1", BENCH_ENGINE: "0" },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^delivery-pipeline benchmark: Node v\d+/);
    for (const stack of ["staging", "production"]) {
      // stack | plan ms | floor ms | ratio | uncached plan ms | uncached ratio | plan MB | floor MB
      expect(result.stdout).toMatch(
        new RegExp(`\\| ${stack} \\| \\d+ \\| \\d+ \\| \\d+\\.\\d\\d× \\| \\d+ \\| \\d+\\.\\d\\d× \\| \\d+ \\| \\d+ \\|`),
      );
      // stack | evaluation ms | program ms | peak MB | resources
      expect(result.stdout).toMatch(new RegExp(`\\| ${stack} \\| \\d+ \\| \\d+ \\| \\d+ \\| \\d+ \\|`));
    }
    expect(result.stdout).toContain("Real-engine preview: skipped (BENCH_ENGINE=0).");
    expect(result.stdout).toContain("Real-engine up: skipped (BENCH_ENGINE=0).");
    expect(result.stdout).toContain("Real-engine preview growth: skipped (BENCH_ENGINE=0).");
    expect(result.stdout).toContain("Real-engine staging up with image builds: skipped (BENCH_ENGINE=0 or BENCH_BUILD=0).");
    for (const axis of ["Python versions", "reviewers", "platforms", "secrets set"]) expect(result.stdout).toContain(`| ${axis}`);
  }, 180_000);
});
