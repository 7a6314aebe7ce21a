// The offline plan reads the other stack's file in the same folder and refuses a broken pair, naming the fix for this stack.
import { planInProcess } from "../helpers/tool";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFixtureStackFile } from "../helpers/fixtureConfig";

// In this process: the child-process path is test/cli/plan.test.ts's and .ci/run's.
const plan = (...args: string[]) => planInProcess(args);

describe("npm run plan across stacks", () => {
  it("refuses production governing when staging does too, and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-both-"));
    writeFixtureStackFile(dir, "staging");
    writeFixtureStackFile(dir, "production", { governsRepository: "true" });
    const outDir = join(dir, "out");
    const result = await plan("--stack", "production", "--stacks-dir", dir, "--out", outDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('governsRepository = "true" is not allowed');
    expect(result.stderr).toContain("fix:     pulumi config set governsRepository false --stack production");
    expect(existsSync(outDir)).toBe(false);
  }, 60_000);

  it("plans the same pair's staging when production is fixed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-ok-"));
    writeFixtureStackFile(dir, "staging");
    writeFixtureStackFile(dir, "production");
    const result = await plan("--stack", "staging", "--stacks-dir", dir, "--out", join(dir, "out"));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  }, 60_000);
});

describe("npm run plan after a failure", () => {
  it("removes the previous plan from its folder, so it cannot be read as this config's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-stale-"));
    writeFixtureStackFile(dir, "staging");
    writeFixtureStackFile(dir, "production");
    const outDir = join(dir, "out");
    expect((await plan("--stack", "staging", "--stacks-dir", dir, "--out", outDir)).status).toBe(0);
    expect(existsSync(join(outDir, "plan.txt"))).toBe(true);
    writeFixtureStackFile(dir, "staging", { repository: "not a repository" });
    expect((await plan("--stack", "staging", "--stacks-dir", dir, "--out", outDir)).status).toBe(2);
    expect(existsSync(outDir)).toBe(false);
  }, 60_000);
});
