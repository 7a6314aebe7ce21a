// The plan runs the real program once and reads the spec that run built, not one of its own.
import { beforeAll, describe, expect, it } from "vitest";
import { stackEnvironments, type PipelineSpec } from "../../src/pipeline";
import type { ProgramRun } from "../../tools/plan/harness";
import { runPlanProgram } from "../../tools/plan/planProgram";
import { useStacksDirForSiblings } from "../../src/config/stackFiles";
import { fixtureStacksDir, stackWithSecrets } from "../helpers/stacks";

let planned: { run: ProgramRun; spec: PipelineSpec };
beforeAll(async () => {
  useStacksDirForSiblings(fixtureStacksDir);
  // Only some secrets set: the plan hands the program placeholders for the rest.
  planned = await runPlanProgram("production", stackWithSecrets("production", ["railwayToken"]));
});

describe("runPlanProgram", () => {
  it("returns the spec of the run, matching what the run declared", () => {
    const { run, spec } = planned;
    expect(spec.stack).toBe("production");
    const environments = run.resources.filter((r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment");
    expect(environments.map((r) => String(r.inputs["environment"])).sort()).toEqual(
      stackEnvironments(spec)
        .map((e) => e.name)
        .sort(),
    );
    const files = run.resources.filter((r) => r.type === "github:index/repositoryFile:RepositoryFile");
    expect(files.map((r) => r.inputs["file"])).toEqual(spec.files.map((f) => f.path));
  });

  it("runs the program with placeholders for unset secrets, as Pulumi secrets", () => {
    expect(planned.run.outputs["environmentName"]).toBe("production");
    const secret = planned.run.resources.find((r) => r.name === "delivery-production-secret-anthropic-api-key");
    expect(secret?.secretPaths).toEqual(["value"]);
  });
});
