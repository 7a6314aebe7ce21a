/**
 * A Mermaid flowchart of what one stack's workflows do: triggers, jobs and
 * their `needs`, reusable-workflow calls, environments with their approvals,
 * and the deploy target. GitHub renders it in a README or a PR comment.
 */
import { isCallJob, type Triggers, type Workflow } from "./model";

export interface DiagramEnvironment {
  readonly name: string;
  readonly reviewers: readonly string[];
  readonly waitTimerMinutes: number;
  /** Which refs may deploy, in words. */
  readonly allowedRefs: string;
}

export interface DiagramInput {
  readonly workflows: readonly Workflow[];
  readonly environments: readonly DiagramEnvironment[];
  /** Where deploy jobs ship to, e.g. "Railway: app.up.railway.app". */
  readonly deployTarget: string;
}

/** Mermaid ids: letters, digits and underscores only. */
export function nodeId(...parts: string[]): string {
  return parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

/** Labels are quoted; Mermaid takes `#quot;` for a quote inside one. */
function label(text: string): string {
  return `"${text.replace(/"/g, "#quot;")}"`;
}

function describeTriggers(on: Triggers): string[] {
  const lines: string[] = [];
  if (on.push) lines.push(`push: ${(on.push.branches ?? ["any"]).join(", ")}`);
  if (on.pullRequest)
    lines.push(
      `pull request: ${(on.pullRequest.branches ?? ["any"]).join(", ")}${on.pullRequest.paths ? ` (${on.pullRequest.paths.join(", ")})` : ""}`,
    );
  if (on.release) lines.push(`release ${on.release.types.join(", ")}`);
  if (on.schedule) lines.push(`schedule ${on.schedule.map((s) => s.cron).join(", ")}`);
  if (on.workflowDispatch) lines.push("manual dispatch");
  if (on.workflowCall) lines.push("called by other workflows");
  return lines;
}

export function pipelineDiagram(input: DiagramInput): string {
  const lines = ["flowchart LR"];
  const byPath = new Map(input.workflows.map((w) => [w.path, w]));
  for (const workflow of input.workflows) {
    const file = workflow.path.split("/").pop() ?? workflow.path;
    lines.push(`  subgraph ${nodeId("wf", workflow.name)} [${label(file)}]`);
    const trigger = nodeId(workflow.name, "on");
    lines.push(`    ${trigger}([${label(describeTriggers(workflow.on).join("<br/>"))}])`);
    for (const [id, job] of Object.entries(workflow.jobs)) {
      const node = nodeId(workflow.name, id);
      lines.push(`    ${node}[${label(job.name)}]`);
      const needs = job.needs ?? [];
      if (needs.length === 0) lines.push(`    ${trigger} --> ${node}`);
      for (const need of needs) lines.push(`    ${nodeId(workflow.name, need)} --> ${node}`);
    }
    lines.push("  end");
  }
  const described = new Set(input.environments.map((e) => e.name));
  for (const env of input.environments) {
    const gate = env.reviewers.length > 0 ? `<br/>approval: ${env.reviewers.join(", ")}` : "";
    const wait = env.waitTimerMinutes > 0 ? `<br/>wait ${env.waitTimerMinutes} min` : "";
    lines.push(`  ${nodeId("env", env.name)}{{${label(`environment ${env.name}<br/>${env.allowedRefs}${gate}${wait}`)}}}`);
  }
  const target = nodeId("target");
  let deploys = false;
  for (const workflow of input.workflows) {
    for (const [id, job] of Object.entries(workflow.jobs)) {
      const node = nodeId(workflow.name, id);
      if (isCallJob(job)) {
        const called = byPath.get(job.uses.replace(/^\.\//, ""));
        if (called !== undefined) lines.push(`  ${node} -. calls .-> ${nodeId("wf", called.name)}`);
        continue;
      }
      const env = job.environment?.name;
      if (env === undefined) continue;
      // A matrix job runs in one environment per matrix value.
      const names = env.includes("${{ matrix.stack }}")
        ? (job.strategy?.matrix["stack"] ?? []).map((stack) => env.replace("${{ matrix.stack }}", stack))
        : [env];
      for (const name of names) {
        if (!described.has(name)) {
          // Owned by the other stack: shown by name, its rules are in that stack's diagram.
          lines.push(`  ${nodeId("env", name)}{{${label(`environment ${name}`)}}}`);
          described.add(name);
        }
        lines.push(`  ${node} --> ${nodeId("env", name)}`);
      }
      if (job.steps.some((s) => "action" in s && s.action === "pulumi/actions" && s.with?.["command"] === "up")) {
        for (const name of names) lines.push(`  ${nodeId("env", name)} --> ${target}`);
        deploys = true;
      }
    }
  }
  if (deploys) lines.push(`  ${target}[(${label(input.deployTarget)})]`);
  return lines.join("\n") + "\n";
}
