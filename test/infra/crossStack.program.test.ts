// The program itself (what `pulumi preview` and `up` run) reads the other stack's file and refuses a broken pair before any resource exists.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config";
import { fixtureSettings, writeFixtureStackFile } from "../helpers/fixtureConfig";
import { evaluate } from "../helpers/program";

describe("program with a broken pair of stacks", () => {
  it("refuses neither stack governing, with the fix on staging", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-neither-"));
    writeFixtureStackFile(dir, "staging", { governsRepository: "false" });
    const error: unknown = await evaluate("production", fixtureSettings("production"), false, { siblingsDir: dir }).catch(
      (e: unknown) => e,
    );
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    const cause = (error as Error).cause as ConfigError;
    expect(cause).toBeInstanceOf(ConfigError);
    expect(cause.problems.map((p) => [p.key, p.fix])).toEqual([
      ["governsRepository", "pulumi config set governsRepository true --stack staging (production stays false)"],
    ]);
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    expect([...monitor.resources.keys()]).toEqual([]);
  });
});

describe("program without the other stack's file", () => {
  it("judges its own stack alone (the cross-stack rules need both files) and declares it", async () => {
    const run = await evaluate("staging", fixtureSettings("staging"), false, { siblingsDir: mkdtempSync(join(tmpdir(), "stacks-alone-")) });
    expect(run.outputs).toMatchObject({ environmentName: "staging", governsRepository: true });
    expect(run.resources.length).toBeGreaterThan(20);
  });
});
