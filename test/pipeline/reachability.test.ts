// Which secrets each trigger reaches, derived from both stacks' environments, rulesets and generated
// workflows: code no reviewer approved reaches none, and each gate this rests on, removed, opens a path.
import { describe, expect, it } from "vitest";
import { secretKeys, validateStackConfig, type SecretKey } from "../../src/config";
import {
  buildPipelineSpec,
  reachability,
  repositoryModel,
  unreviewedReach,
  type PipelineSpec,
  type TriggerId,
  type TriggerReach,
} from "../../src/pipeline";
import { ownedWorkflows } from "../../src/workflows/files";
import type { Workflow } from "../../src/workflows/model";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

function stacks(overrides: Record<string, string> = {}, secrets: readonly SecretKey[] = secretKeys) {
  const configs = (["staging", "production"] as const).map(
    (stack) => validateStackConfig(rawConfig(stackWithSecrets(stack, secrets, overrides), stack)).config,
  );
  return { specs: configs.map((c) => buildPipelineSpec(c)), workflows: configs.flatMap((c) => ownedWorkflows(c)) };
}

const row = (reach: readonly TriggerReach[], trigger: TriggerId): TriggerReach => {
  const found = reach.find((r) => r.trigger === trigger);
  if (found === undefined) throw new Error(`no row for ${trigger}`);
  return found;
};
const keys = (r: TriggerReach, stack: string): string[] =>
  r.secrets
    .filter((s) => s.stack === stack)
    .map((s) => s.configKey)
    .sort();

describe("reachability of the fixture stacks, every secret set", () => {
  const { specs, workflows } = stacks();
  const reach = reachability(repositoryModel(specs), workflows);

  it("gives code no reviewer approved no secret at all: a branch, a fork, Dependabot", () => {
    expect(unreviewedReach(reach)).toEqual([]);
    for (const trigger of ["branch", "fork", "dependabot"] as const) {
      expect(row(reach, trigger)).toMatchObject({ environments: [], secrets: [] });
    }
    // A branch's run reaches the preview environments only once a preview reviewer approves it.
    expect(row(reach, "branch").afterApproval).toEqual(["staging-preview", "production-preview"]);
  });

  it("gives the default branch staging's deploy and both drift environments, and a release tag production's plan and deploy", () => {
    expect(row(reach, "default-branch").environments).toEqual(["staging", "staging-drift", "production-drift"]);
    // The plan job's environment: release tags only, no reviewer (the reviewers approve its plan at production).
    expect(row(reach, "release-tag").environments).toEqual(["production-plan"]);
    // Any run may ask for a preview environment; a preview reviewer decides.
    expect(row(reach, "release-tag").afterApproval).toEqual(["staging-preview", "production", "production-preview"]);
    // Reviewed code holding a passphrase holds the whole stack's config: the figure the docs give.
    expect(keys(row(reach, "release-tag"), "production")).toEqual([...(specs[1]?.secretsRead ?? [])].sort());
    expect(keys(row(reach, "release-tag"), "staging")).toEqual([...(specs[0]?.secretsRead ?? [])].sort());
  });
});

/** The specs with one gate changed, to show the analysis sees each. */
function without(specs: readonly PipelineSpec[], change: (spec: PipelineSpec) => PipelineSpec): PipelineSpec[] {
  return specs.map(change);
}

describe("each gate, removed, opens a path from an unreviewed branch", () => {
  const { specs, workflows } = stacks();
  const everySecretOf = (stack: number): string[] => [...(specs[stack]?.secretsRead ?? [])].sort();

  it("preview environments without reviewers (as the program declared them before): every secret of both stacks", () => {
    const open = without(specs, (s) =>
      s.previewEnvironment === undefined
        ? s
        : { ...s, previewEnvironment: { ...s.previewEnvironment, reviewerUsers: [], reviewerTeams: [] } },
    );
    const branch = row(reachability(repositoryModel(open), workflows), "branch");
    expect(branch.environments).toEqual(["staging-preview", "production-preview"]);
    expect(keys(branch, "staging")).toEqual(everySecretOf(0));
    expect(keys(branch, "production")).toEqual(everySecretOf(1));
    expect(unreviewedReach(reachability(repositoryModel(open), workflows)).some((s) => s.grants === "writes")).toBe(true);
  });

  it("a preview reviewer who may approve their own run is no gate", () => {
    const selfApproved = without(specs, (s) =>
      s.previewEnvironment === undefined ? s : { ...s, previewEnvironment: { ...s.previewEnvironment, preventSelfReview: false } },
    );
    expect(row(reachability(repositoryModel(selfApproved), workflows), "branch").environments).toEqual([
      "staging-preview",
      "production-preview",
    ]);
  });

  it("no release-tag ruleset: a writer tags any commit and reaches production", () => {
    const open = without(specs, (s) =>
      s.governance === undefined
        ? s
        : {
            ...s,
            governance: {
              ...s.governance,
              tagRuleset: {
                ...s.governance.tagRuleset,
                rules: { ...s.governance.tagRuleset.rules, creation: true, update: false },
              },
            },
          },
    );
    expect(row(reachability(repositoryModel(open), workflows), "branch").afterApproval).toContain("production");
  });

  it("Actions allowed to approve pull requests: a branch approves its own and reaches what main reaches", () => {
    const open = without(specs, (s) =>
      s.governance === undefined
        ? s
        : {
            ...s,
            governance: {
              ...s.governance,
              workflowPermissions: { ...s.governance.workflowPermissions, canApprovePullRequestReviews: true },
            },
          },
    );
    expect(row(reachability(repositoryModel(open), workflows), "branch").environments).toEqual([
      "staging",
      "staging-drift",
      "production-drift",
    ]);
  });

  it("a repository secret is any branch's", () => {
    const open = without(specs, (s) =>
      s.governance === undefined
        ? s
        : { ...s, governance: { ...s.governance, secrets: [{ githubName: "SLACK_WEBHOOK_URL", configKey: "slackWebhookUrl" }] } },
    );
    expect(unreviewedReach(reachability(repositoryModel(open), workflows))).toEqual([
      { configKey: "slackWebhookUrl", grants: "writes", via: "the repository", stack: "staging" },
    ]);
  });

  it("a pull_request_target workflow hands a fork the secrets of the environments it uses", () => {
    const target: Workflow = {
      path: ".github/workflows/pwn.yml",
      name: "pwn",
      on: { pullRequestTarget: {} } as unknown as Workflow["on"],
      permissions: {},
      jobs: {
        j: { name: "j", permissions: {}, runsOn: "ubuntu-latest", timeoutMinutes: 5, environment: { name: "staging-drift" }, steps: [] },
      },
    };
    const fork = row(reachability(repositoryModel(specs), [...workflows, target]), "fork");
    expect(fork.environments).toEqual(["staging-drift"]);
    expect(keys(fork, "staging")).toEqual(everySecretOf(0));
  });
});

describe("stacks without preview reviewers", () => {
  it("have no preview environment, and pull requests get the offline plan only", () => {
    const { specs, workflows } = stacks({ previewReviewerTeams: "[]" });
    expect(specs.map((s) => s.previewEnvironment)).toEqual([undefined, undefined]);
    const reach = reachability(repositoryModel(specs), workflows);
    expect(unreviewedReach(reach)).toEqual([]);
    expect(row(reach, "branch").afterApproval).toEqual([]);
    const preview = workflows.find((w) => w.name === "infra-preview");
    expect(Object.keys(preview?.jobs ?? {})).toEqual(["plan"]);
  });
});
