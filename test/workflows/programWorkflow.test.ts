// This repository's own CI runs the real-engine suite with a normal Pulumi install.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { renderProgramCi } from "../../src/workflows/programWorkflow";
import { engineCliVersion } from "../../src/workflows/pulumiSteps";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

interface Job {
  readonly needs?: readonly string[];
  readonly permissions?: Record<string, string>;
  readonly steps: readonly { readonly uses?: string; readonly run?: string; readonly with?: Record<string, unknown> }[];
}

describe("ci.yml engine job", () => {
  const governing = validateStackConfig(rawConfig(stackWithSecrets("staging"), "staging")).config;
  const jobs = (parse(renderProgramCi(governing)) as { jobs: Record<string, Job> }).jobs;

  it("installs the Pulumi CLI with pulumi/actions, then runs npm run test:engine, read-only and after the tests", () => {
    const engine = jobs["engine"];
    expect(engine?.needs).toEqual(["test"]);
    expect(engine?.permissions).toEqual({ contents: "read" });
    const steps = engine?.steps ?? [];
    const install = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@") === true);
    const suite = steps.findIndex((s) => s.run === "npm run test:engine");
    expect(install).toBeGreaterThan(-1);
    expect(steps[install]?.with).toEqual({ "pulumi-version": engineCliVersion });
    expect(suite).toBeGreaterThan(install);
    // One command runs the whole engine suite (previews and pulumi up): nothing runs beside it.
    expect(steps.filter((s) => s.run?.includes("test:engine") === true).map((s) => s.run)).toEqual(["npm run test:engine"]);
  });
});
