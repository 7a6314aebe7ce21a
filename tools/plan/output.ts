/** The files the offline plan writes: the generated files, the pipeline diagram and the recorded resources. Pure but for the write. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { StackConfig } from "../../src/config";
import { stackEnvironments, type EnvironmentSpec, type PipelineSpec } from "../../src/pipeline";
import { pipelineDiagram, type DiagramEnvironment } from "../../src/workflows/diagram";
import { ownedWorkflows } from "../../src/workflows/files";
import type { ProgramRun } from "./harness";

export interface PlanFile {
  /** Relative to the plan's folder. */
  readonly path: string;
  readonly content: string;
}

/** An environment as the diagram shows it: who approves, how long it waits, which refs may deploy. */
export function diagramEnvironment(env: EnvironmentSpec): DiagramEnvironment {
  const policy = env.deploymentPolicy?.allowed;
  return {
    name: env.name,
    reviewers: [...env.reviewerUsers, ...env.reviewerTeams.map((t) => `team ${t}`)],
    waitTimerMinutes: env.waitTimerMinutes,
    allowedRefs: policy === undefined ? "any branch" : `${policy.kind === "tag" ? "tags" : "branch"} ${policy.pattern}`,
  };
}

/** A Mermaid flowchart of the stack's workflows, its environments and the deploy target. */
export function stackDiagram(config: StackConfig, spec: PipelineSpec): string {
  return pipelineDiagram({
    workflows: ownedWorkflows(config),
    environments: stackEnvironments(spec).map(diagramEnvironment),
    deployTarget: `Railway: ${config.railwayDomain}`,
  });
}

/** The diagram as Markdown GitHub renders. */
export function pipelineMarkdown(config: StackConfig, spec: PipelineSpec): string {
  return `# Pipeline of stack ${spec.stack}\n\n\`\`\`mermaid\n${stackDiagram(config, spec)}\`\`\`\n`;
}

/** What the plan writes besides its report: each committed file as the program declared it, the diagram, the resources. */
export function planFiles(run: ProgramRun, config: StackConfig, spec: PipelineSpec): PlanFile[] {
  const committed = run.resources
    .filter((r) => r.type === "github:index/repositoryFile:RepositoryFile")
    .map((r) => ({ path: join("app-repository", String(r.inputs["file"])), content: String(r.inputs["content"]) }));
  const resources = run.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, secretInputs: r.secretPaths }));
  return [
    ...committed,
    { path: "pipeline.md", content: pipelineMarkdown(config, spec) },
    { path: "resources.json", content: JSON.stringify(resources, null, 2) + "\n" },
  ];
}

/** Replaces the folder's contents with these files: stale files from an earlier run would mislead. */
export function writePlanFolder(outDir: string, files: readonly PlanFile[]): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const file of files) writePlanFile(outDir, file);
}

export function writePlanFile(outDir: string, file: PlanFile): void {
  const target = join(outDir, file.path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.content);
}
