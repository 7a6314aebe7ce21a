// `npm run bench` runs end to end and prints its tables. Figures are printed, never asserted.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { projectDir } from "../helpers/stacks";

describe("npm run bench", () => {
  it("prints per-stack figures and the growth table", () => {
    const result = spawnSync("npm", ["run", "--silent", "bench"], { cwd: projectDir, encoding: "utf8", env: { ...process.env, BENCH_RUNS: "1" } });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^delivery-pipeline benchmark: Node v\d+/);
    expect(result.stdout).toMatch(/\| staging \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \|/);
    expect(result.stdout).toMatch(/\| production \| \d+ \|/);
    for (const axis of ["Python versions", "reviewers", "platforms", "secrets set"]) expect(result.stdout).toContain(`| ${axis}`);
  }, 180_000);
});
