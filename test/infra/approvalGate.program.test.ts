// `pulumi preview` and `up` say production has no approval gate: the program logs a warning the CLI prints.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { fixtureSettings, writeFixtureStackFile } from "../helpers/fixtureConfig";
import { evaluate } from "../helpers/program";

describe("program for an ungated production", () => {
  it("warns through pulumi.log.warn and still declares the pipeline", async () => {
    // The sibling the program checks is the fixture's, not the committed example.
    const dir = mkdtempSync(join(tmpdir(), "stacks-gate-"));
    writeFixtureStackFile(dir, "staging", { repositoryVisibility: "private", githubPlan: "team" });
    const warn = vi.spyOn(pulumi.log, "warn");
    const run = await evaluate(
      "production",
      fixtureSettings("production", { repositoryVisibility: "private", githubPlan: "team", reviewerUsers: "[]", waitTimerMinutes: "0" }),
      true,
      { siblingsDir: dir },
    );
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("Production has no approval gate"));
    expect(run.resources.some((r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment")).toBe(true);
  });
});
