// A file:// backend: fine for one person's `pulumi up`, which warns that the workflows it commits cannot reach the
// folder; those workflows carry no backend credential and stop at their first step, saying why.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { fixtureSettings, writeFixtureStackFile } from "../helpers/fixtureConfig";
import { byType, evaluate } from "../helpers/program";

const backend = { stateBackendUrl: "file://~" };

describe("program with a local file:// state backend", () => {
  it("warns, publishes no backend credential, and commits workflows that stop before pulumi", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-file-"));
    writeFixtureStackFile(dir, "production", backend);
    const warn = vi.spyOn(pulumi.log, "warn");
    const run = await evaluate("staging", fixtureSettings("staging", backend), false, { siblingsDir: dir });

    expect(warn).toHaveBeenCalledWith(expect.stringContaining("stateBackendUrl is file://~, a folder on this machine"));
    const names = byType(run, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret").map((r) => String(r.inputs["secretName"]));
    expect(names.filter((n) => /^(AWS_|AZURE_|GOOGLE_|PULUMI_ACCESS_TOKEN$)/.test(n))).toEqual([]);

    const deploy = byType(run, "github:index/repositoryFile:RepositoryFile").find(
      (f) => f.inputs["file"] === ".github/workflows/deploy-staging.yml",
    );
    const workflow = parse(String(deploy?.inputs["content"])) as { jobs: { deploy: { steps: { name: string; run?: string }[] } } };
    const first = workflow.jobs.deploy.steps[0];
    expect(first?.name).toBe("Stop: the state backend is a local folder");
    expect(first?.run).toContain("exit 1");
  });
});
