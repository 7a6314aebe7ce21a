/**
 * docs/reachability.md: which credential each kind of workflow run can reach,
 * as src/pipeline/reachability.ts derives it from both stacks' environments,
 * rulesets and generated workflows, for the shipped settings (preview
 * reviewers set, every credential of an S3 backend set, read-only preview
 * credentials included). Written by `npm run docs`; test/docs.test.ts keeps it
 * equal to what the analysis says now.
 */
import { requiredSecrets, secretDefinitions, type SecretKey, type StackConfig, type StackName } from "../../src/config";
import { buildPipelineSpec, reachability, repositoryModel, triggers, unreviewedReach, type TriggerReach } from "../../src/pipeline";
import { ownedWorkflows } from "../../src/workflows/files";

/** The credentials the example stacks set: what an S3 backend requires, the read-only state keys, a pull token, Slack, the provider's token. */
function withCredentials(config: StackConfig, previewReviewers: boolean): StackConfig {
  const present: SecretKey[] = [
    ...requiredSecrets(config.stateBackendUrl, { signsImages: config.stack === "staging" }),
    "awsPreviewAccessKeyId",
    "awsPreviewSecretAccessKey",
    "dockerhubPullToken",
    "slackWebhookUrl",
    "githubToken",
  ];
  return {
    ...config,
    // Where GitHub enforces reviewers (the shipped stacks: a private repository on Enterprise).
    githubPlan: "enterprise",
    privateImageRepository: true,
    previewReviewerTeams: previewReviewers ? ["release-managers"] : [],
    secretsPresent: [...new Set(present)],
  };
}

function cellFor(reach: readonly TriggerReach[], trigger: string, stack: string, key: SecretKey): string {
  const row = reach.find((r) => r.trigger === trigger);
  const pick = (list: readonly { stack: string; configKey: SecretKey; via: string }[] | undefined) =>
    list?.find((s) => s.stack === stack && s.configKey === key);
  const found = pick(row?.secrets) ?? pick(row?.secretsAfterApproval);
  if (row === undefined || found === undefined) return "no";
  const how = found.via.startsWith("decrypting") ? "decrypting the config" : found.via.replace(/^environment /, "");
  const direct = pick(row.secrets) !== undefined && !row.afterApproval.some((env) => found.via === `environment ${env}`);
  return direct ? how : `after a reviewer approves the run (${how})`;
}

function table(configs: (stack: StackName) => StackConfig, previewReviewers: boolean): string[] {
  const stacks = (["staging", "production"] as const).map((s) => withCredentials(configs(s), previewReviewers));
  const specs = stacks.map((c) => buildPipelineSpec(c));
  const reach = reachability(
    repositoryModel(specs),
    stacks.flatMap((c) => ownedWorkflows(c)),
  );
  const leaked = unreviewedReach(reach);
  if (leaked.length > 0) throw new Error(`unreviewed code reaches ${leaked.map((s) => `${s.stack}:${s.configKey}`).join(", ")}`);
  const header = ["credential", "stack", "grants", ...triggers.map((t) => t.words)];
  const rows = specs.flatMap((spec) =>
    spec.secretsRead.map((key) => [
      `\`${key}\``,
      spec.stack,
      secretDefinitions.find((d) => d.key === key)?.grants ?? "",
      ...triggers.map((t) => cellFor(reach, t.id, spec.stack, key)),
    ]),
  );
  const environments = reach.map(
    (r) =>
      `- ${triggers.find((t) => t.id === r.trigger)?.words ?? r.trigger} (${r.reviewed ? "reviewed code" : "code no reviewer approved"}): ` +
      `enters ${r.environments.length === 0 ? "no environment" : r.environments.map((e) => `\`${e}\``).join(", ")}` +
      (r.afterApproval.length === 0
        ? ""
        : `; once a reviewer who did not start the run approves it: ${r.afterApproval.map((e) => `\`${e}\``).join(", ")}`) +
      `; reaches ${String(r.secrets.length)} secret value${r.secrets.length === 1 ? "" : "s"}` +
      (r.reviewed || r.secretsAfterApproval.length === 0 ? "" : `, ${String(r.secretsAfterApproval.length)} once a reviewer approves it`) +
      ".",
  );
  return [
    ...environments,
    "",
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

export function reachabilityDoc(exampleConfig: (stack: StackName, governs: boolean) => StackConfig, note: string): string {
  const configs = (stack: StackName): StackConfig => exampleConfig(stack, stack === "staging");
  return [
    "# Which run reaches which credential",
    "",
    note,
    "",
    "What `src/pipeline/reachability.ts` derives from both stacks' environments (their reviewers and the refs they admit), the rulesets, the repository's secrets and the generated workflows' triggers, for the shipped settings with every credential of an S3 backend set (read-only preview credentials and a private image's pull token included). A collaborator who pushes a branch can add any workflow to it, so what a branch reaches is decided by the environments' gates alone. \"decrypting the config\": the run holds the stack's passphrase, which decrypts every secret of its committed stack file. `test/pipeline/reachability.test.ts` asserts the first three columns are all \"no\" and shows each gate, removed, opening a path; the engine suite runs the same analysis on what the GitHub stand-in holds after `pulumi up`. Why each credential lives where it does: [identities.md](identities.md).",
    "",
    "## With preview reviewers (the shipped stacks)",
    "",
    ...table(configs, true),
    "",
    "## Without preview reviewers",
    "",
    "No `<stack>-preview` environment exists; pull requests get the offline plan only.",
    "",
    ...table(configs, false),
    "",
  ].join("\n");
}
