// What the plan writes besides its report: the committed files as declared, the diagram, the resources.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { buildPipelineSpec, deployEnvironmentSpec, driftEnvironmentSpec, previewEnvironmentSpec } from "../../src/pipeline";
import type { ProgramRun } from "../../tools/plan/harness";
import { diagramEnvironment, pipelineMarkdown, planFiles, stackDiagram, writePlanFolder } from "../../tools/plan/output";
import type { RecordedResource } from "../../tools/plan/recorder";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const configOf = (stack: string) => validateStackConfig(rawConfig(stackWithSecrets(stack), stack)).config;

describe("diagramEnvironment", () => {
  it("says which refs may deploy and who approves, in words", () => {
    const production = configOf("production");
    expect(diagramEnvironment(deployEnvironmentSpec(production))).toEqual({
      name: "production",
      reviewers: [...production.reviewerUsers, ...production.reviewerTeams.map((t) => `team ${t}`)],
      waitTimerMinutes: production.waitTimerMinutes,
      allowedRefs: "tags v*",
    });
    expect(diagramEnvironment(deployEnvironmentSpec(configOf("staging"))).allowedRefs).toBe("branch main");
    const preview = previewEnvironmentSpec(configOf("staging"));
    expect(preview && diagramEnvironment(preview)).toEqual({
      name: "staging-preview",
      reviewers: ["team release-managers"],
      waitTimerMinutes: 0,
      allowedRefs: "any branch",
    });
    expect(diagramEnvironment(driftEnvironmentSpec(configOf("staging")))).toEqual({
      name: "staging-drift",
      reviewers: [],
      waitTimerMinutes: 0,
      allowedRefs: "branch main",
    });
  });
});

describe("stackDiagram and pipelineMarkdown", () => {
  const config = configOf("production");
  const spec = buildPipelineSpec(config);
  it("draws the stack's workflows, its deploy, preview and drift environments and the Railway target", () => {
    const diagram = stackDiagram(config, spec);
    expect(diagram.startsWith("flowchart LR\n")).toBe(true);
    expect(diagram).toContain('["deploy-production.yml"]');
    expect(diagram).toContain("env_production{{");
    expect(diagram).toContain(
      'env_production_preview{{"environment production-preview<br/>any branch<br/>approval: team release-managers"}}',
    );
    expect(diagram).toContain('env_production_drift{{"environment production-drift<br/>branch main"}}');
    expect(diagram).toContain(`target[("Railway: ${config.railwayDomain}")]`);
  });
  it("wraps it in a Mermaid block under the stack's heading", () => {
    expect(pipelineMarkdown(config, spec)).toBe(`# Pipeline of stack production\n\n\`\`\`mermaid\n${stackDiagram(config, spec)}\`\`\`\n`);
  });
});

describe("planFiles", () => {
  const resource = (type: string, name: string, inputs: Record<string, unknown>, secretPaths: string[] = []): RecordedResource => ({
    type,
    name,
    custom: true,
    parent: "",
    dependencies: [],
    retainOnDelete: false,
    inputs,
    plainInputs: inputs,
    secretPaths,
  });
  const run: ProgramRun = {
    resources: [
      resource("github:index/repositoryFile:RepositoryFile", "f", { file: ".github/workflows/x.yml", content: "on: push\n" }),
      resource("github:index/actionsSecret:ActionsSecret", "s", { secretName: "T", value: "[secret]" }, ["value"]),
    ],
    invokes: [],
    outputs: {},
    secretOutputs: [],
  };
  const config = configOf("staging");
  const files = planFiles(run, config, buildPipelineSpec(config));

  it("writes each committed file at its path in the app repository, byte for byte", () => {
    expect(files[0]).toEqual({ path: join("app-repository", ".github/workflows/x.yml"), content: "on: push\n" });
    expect(files.map((f) => f.path)).toEqual([join("app-repository", ".github/workflows/x.yml"), "pipeline.md", "resources.json"]);
  });

  it("records every resource with its redacted inputs and which of them are secret", () => {
    const resources = JSON.parse(files[2]?.content ?? "") as unknown[];
    expect(resources[1]).toEqual({
      type: "github:index/actionsSecret:ActionsSecret",
      name: "s",
      inputs: { secretName: "T", value: "[secret]" },
      secretInputs: ["value"],
    });
    expect(files[2]?.content.endsWith("]\n")).toBe(true);
  });
});

describe("writePlanFolder", () => {
  it("replaces the folder's contents, so no file of an earlier plan stays", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "plan-out-")), "staging");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "stale.yml"), "old");
    writePlanFolder(dir, [{ path: join("a", "b.txt"), content: "new" }]);
    expect(existsSync(join(dir, "stale.yml"))).toBe(false);
    expect(readFileSync(join(dir, "a", "b.txt"), "utf8")).toBe("new");
  });
});
