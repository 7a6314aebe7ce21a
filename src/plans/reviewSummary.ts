/**
 * What the production reviewers read before they approve: the saved plan in
 * short (the release, its commit, the image digest, the plan's sha256, what
 * changes), written to the plan job's summary on the run's page, where
 * GitHub's "Review deployments" button is. Names and operations only: a
 * secret's value is never in it, and neither is any property's value.
 */
import type { PlannedChange, SavedPlan } from "./savedPlan";

export interface ReviewFacts {
  /** The sha256 of the plan file the deploy job will check before applying. */
  readonly sha256: string;
  /** The program's commit the plan was made from (the deploy job checks out the same one). */
  readonly programCommit: string | undefined;
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

const order: readonly PlannedChange["operation"][] = ["replace", "delete", "update", "create", "read", "same"];

function counts(changes: readonly PlannedChange[]): string {
  const words: Record<PlannedChange["operation"], string> = {
    create: "to create",
    update: "to update",
    replace: "to replace",
    delete: "to delete",
    read: "to read",
    same: "unchanged",
  };
  return order
    .map((op) => ({ op, n: changes.filter((c) => c.operation === op).length }))
    .filter(({ n, op }) => n > 0 || op === "same")
    .map(({ op, n }) => `${String(n)} ${words[op]}`)
    .join(", ");
}

function outputCell(value: string | number | boolean | undefined): string {
  return value === undefined ? "(secret)" : code(String(value));
}

export function reviewSummary(stack: string, plan: SavedPlan, facts: ReviewFacts): string {
  const version = plan.outputs["version"];
  const title = typeof version === "string" && version !== "" ? `${stack} plan for ${version}` : `${stack} plan`;
  const rows: [string, string][] = [
    ["release", version === undefined ? "(none)" : outputCell(version)],
    ["commit", outputCell(plan.outputs["revision"])],
    ["image", outputCell(plan.outputs["imageRef"])],
    ["program commit", facts.programCommit === undefined ? "(unknown)" : code(facts.programCommit)],
    ["plan sha256", code(facts.sha256)],
    ["planned with", `Pulumi ${plan.engineVersion}, ${plan.savedAt}`],
  ];
  const changed = [...plan.changes]
    .filter((c) => c.operation !== "same")
    .sort((a, b) => order.indexOf(a.operation) - order.indexOf(b.operation) || a.urn.localeCompare(b.urn));
  const lines = [
    `## ${title.charAt(0).toUpperCase()}${title.slice(1)}`,
    "",
    `Approving the ${code(stack)} deployment of this run applies exactly this plan (\`pulumi up --plan\`), or nothing: ` +
      "any change since it was saved (the program, a setting, a rotated secret, another commit, a moved tag) is refused before anything is written.",
    "",
    "| | |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    "",
    `**${counts(plan.changes)}.**`,
    "",
  ];
  if (changed.length > 0) {
    lines.push("| change | resource | type | properties |", "|---|---|---|---|");
    for (const c of changed) {
      const properties = c.properties.length === 0 ? "" : c.properties.map(code).join(", ");
      lines.push(`| ${c.operation} | ${code(c.name)} | ${code(c.type)} | ${properties} |`);
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}
