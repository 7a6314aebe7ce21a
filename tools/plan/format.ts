/** Renders a recorded program run as the offline plan a person reads. Pure: data in, text out. */
import { credentialKind } from "../../src/config/exposure";
import type { RecordedResource } from "./recorder";
import type { ProgramRun } from "./harness";

/** Inputs too long or too noisy for a one-screen plan; the written files carry them in full. */
const hiddenInputs = new Set(["__defaults"]);

function shortType(type: string): string {
  // github:index/repositoryEnvironment:RepositoryEnvironment -> github:RepositoryEnvironment
  const [pkg, , name] = type.split(":");
  return name === undefined ? type : `${pkg}:${name}`;
}

function formatValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  // A credential in a plain input would reach CI logs with this plan: name what it looks like, never the value.
  const kind = credentialKind(text);
  return kind === undefined ? text : `(hidden: looks like a ${kind}; it is exposed and must be rotated)`;
}

function formatInputs(resource: RecordedResource): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(resource.inputs)) {
    if (hiddenInputs.has(key) || value === undefined) continue;
    if (key === "content" || (typeof value === "string" && value.length > 120)) {
      lines.push(`      ${key}: (${formatValue(value).length} characters)`);
      continue;
    }
    lines.push(`      ${key}: ${formatValue(value)}`);
  }
  return lines;
}

export interface PlanReport {
  readonly stack: string;
  readonly run: ProgramRun;
  readonly missingSecretCommands: readonly string[];
  /** Things to know before `pulumi up`. */
  readonly notes: readonly string[];
  readonly outDir: string;
  readonly writtenFiles: readonly string[];
}

export function formatPlan(report: PlanReport): string {
  const { run } = report;
  const custom = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
  const providers = run.resources.filter((r) => r.type.startsWith("pulumi:providers:"));
  const lines: string[] = [];
  lines.push(`Offline plan for stack "${report.stack}": desired state under Pulumi's mock runtime.`);
  lines.push(`No cloud was contacted; \`pulumi preview --stack ${report.stack}\` shows the diff against live state.`);
  lines.push("");
  lines.push(`Resources (${custom.length}, plus ${providers.length} provider${providers.length === 1 ? "" : "s"}):`);
  for (const resource of [...providers, ...custom]) {
    lines.push(`  + ${shortType(resource.type)}  ${resource.name}`);
    lines.push(...formatInputs(resource));
  }
  lines.push("");
  if (report.missingSecretCommands.length === 0) {
    lines.push("Secrets: every secret this stack needs is set.");
  } else {
    lines.push(`Secrets still to set (${report.missingSecretCommands.length}); each command prompts for the value:`);
    for (const command of report.missingSecretCommands) lines.push(`  ${command}`);
  }
  if (report.notes.length > 0) {
    lines.push("");
    lines.push("Before `pulumi up`:");
    for (const note of report.notes) lines.push(`  - ${note}`);
  }
  lines.push("");
  lines.push("Outputs:");
  for (const [name, value] of Object.entries(run.outputs)) lines.push(`  ${name}: ${formatValue(value)}`);
  lines.push("");
  lines.push(`Written to ${report.outDir}:`);
  for (const file of report.writtenFiles) lines.push(`  ${file}`);
  return lines.join("\n") + "\n";
}
