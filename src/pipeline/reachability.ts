/**
 * Which secrets a workflow run can reach, by who or what starts it: derived
 * from the environments both stacks declare (their reviewers and the refs
 * they admit), the rulesets (which refs only a reviewed pull request or the
 * App may move), the repository's secrets and the generated workflows'
 * triggers. Nothing here trusts the generated workflows to behave: a
 * collaborator who pushes a branch can add any workflow to it, asking for any
 * environment, so what a branch reaches is decided by the environments' gates
 * alone; the workflows matter only where they run someone else's code with
 * the default branch's secrets (`pull_request_target`, `workflow_run`).
 *
 * A secret reached reaches further: the passphrase decrypts every secret in
 * its stack's config (the ciphertext is committed), so it counts as all of them.
 */
import { secretDefinitions, type Grants, type SecretKey } from "../config";
import type { Workflow } from "../workflows/model";
import { isCallJob } from "../workflows/model";
import type { GovernanceSlice } from "./governance";
import { stackEnvironments, type EnvironmentSlice, type PipelineSpec } from "./spec";

/** Who or what starts a run, and whether a reviewer approved its code. */
export const triggers = [
  { id: "branch", reviewed: false, words: "a collaborator's branch: a push, a pull request from it, or a dispatch on it" },
  { id: "fork", reviewed: false, words: "a pull request from a fork" },
  { id: "dependabot", reviewed: false, words: "a pull request from Dependabot" },
  { id: "default-branch", reviewed: true, words: "the default branch: a push (a merged pull request), the schedule, a dispatch on it" },
  { id: "release-tag", reviewed: true, words: "a release tag: a published release, a dispatch on the tag" },
] as const;
export type TriggerId = (typeof triggers)[number]["id"];

export interface ReachedSecret {
  readonly configKey: SecretKey;
  readonly grants: Grants;
  /** Where the run gets it: an environment, the repository, or a passphrase that decrypts it. */
  readonly via: string;
  /** Whose config it belongs to. */
  readonly stack: string;
}

export interface TriggerReach {
  readonly trigger: TriggerId;
  readonly reviewed: boolean;
  /** The environments a run of this trigger enters without a reviewer's approval of that run. */
  readonly environments: readonly string[];
  /** The environments it enters once a reviewer (not the one who started it) approves the run. */
  readonly afterApproval: readonly string[];
  /** What the run reaches: unreviewed code without an approval; reviewed code with one where asked. */
  readonly secrets: readonly ReachedSecret[];
  /** What unreviewed code reaches once a reviewer approves the run (a preview); for reviewed code the same as `secrets`. */
  readonly secretsAfterApproval: readonly ReachedSecret[];
}

const grantsOf = (key: SecretKey): Grants => secretDefinitions.find((d) => d.key === key)?.grants ?? "writes";

/** Does a ref glob of a ruleset cover every ref a policy glob admits? (GitHub's fnmatch, for the shapes used here.) */
export function globCovers(ruleset: string, policy: string): boolean {
  if (ruleset === policy) return true;
  return ruleset.endsWith("*") && !ruleset.slice(0, -1).includes("*") && policy.startsWith(ruleset.slice(0, -1));
}

/** One environment as GitHub holds it: its gate, the refs it admits, and the secrets in it (by config key). */
export interface EnvironmentModel {
  readonly name: string;
  readonly stack: string;
  readonly reviewers: number;
  readonly preventSelfReview: boolean;
  readonly canAdminsBypass: boolean;
  /** `undefined`: any branch or tag. */
  readonly policy: { readonly kind: "branch" | "tag"; readonly pattern: string } | undefined;
  readonly secrets: readonly SecretKey[];
}

/** The repository as far as reachability goes, from the specs (what will be) or from GitHub (what is). */
export interface RepositoryModel {
  readonly defaultBranch: string;
  readonly environments: readonly EnvironmentModel[];
  readonly repositorySecrets: readonly { readonly stack: string; readonly configKey: SecretKey }[];
  /**
   * Branch names whose every push needs an approved pull request (the rulesets' pull request rule). Empty when
   * a workflow may approve pull requests: a branch's workflow would approve its own and merge it.
   */
  readonly reviewedBranches: readonly string[];
  /** Tag globs only the App and admins may create, move or delete. */
  readonly guardedTags: readonly string[];
  /** Per stack, every secret its config holds: what its passphrase decrypts. */
  readonly configSecrets: Readonly<Record<string, readonly SecretKey[]>>;
}

/** What both stacks' specs will make of the repository. */
export function repositoryModel(specs: readonly PipelineSpec[]): RepositoryModel {
  const governing = specs.find((s) => s.governance !== undefined)?.governance;
  const gates = governing === undefined ? { reviewedBranches: [], guardedTags: [] } : governanceGates(governing);
  return {
    defaultBranch: specs[0]?.repository.defaultBranch ?? "main",
    environments: specs.flatMap((spec) => stackEnvironments(spec).map((env) => environmentModel(spec.stack, env))),
    repositorySecrets: specs.flatMap((spec) =>
      (spec.governance?.secrets ?? []).map((s) => ({ stack: spec.stack, configKey: s.configKey })),
    ),
    ...gates,
    configSecrets: Object.fromEntries(specs.map((spec) => [spec.stack, spec.secretsRead])),
  };
}

/** What the governing stack's rulesets and Actions settings protect. */
function governanceGates(governing: GovernanceSlice): Pick<RepositoryModel, "reviewedBranches" | "guardedTags"> {
  const actionsMayApprove = governing.workflowPermissions.canApprovePullRequestReviews;
  const reviewedBranches = actionsMayApprove
    ? []
    : governing.rulesets
        .filter((r) => r.rules.pullRequest.requiredApprovingReviewCount > 0 && r.rules.nonFastForward && r.rules.deletion)
        .map((r) => r.ref.replace(/^refs\/heads\//, ""));
  const tag = governing.tagRuleset;
  const guardedTags = tag.rules.creation && tag.rules.update && tag.rules.deletion ? [tag.ref.replace(/^refs\/tags\//, "")] : [];
  return { reviewedBranches, guardedTags };
}

function environmentModel(stack: string, env: EnvironmentSlice): EnvironmentModel {
  return {
    name: env.name,
    stack,
    reviewers: env.reviewerUsers.length + env.reviewerTeams.length,
    preventSelfReview: env.preventSelfReview,
    canAdminsBypass: env.canAdminsBypass,
    policy: env.deploymentPolicy?.allowed,
    secrets: env.secrets.map((s) => s.configKey),
  };
}

/** A run's approval: reviewers who are not the one who started it; admins may not skip them. */
const gated = (env: EnvironmentModel): boolean => env.reviewers > 0 && env.preventSelfReview && !env.canAdminsBypass;

/** Whether a run on a ref of this kind may enter the environment (ignoring its reviewers). */
function admits(env: EnvironmentModel, ref: "unreviewed" | "default-branch" | "release-tag", model: RepositoryModel): boolean {
  const policy = env.policy;
  if (policy === undefined) return true;
  const { kind, pattern } = policy;
  switch (ref) {
    case "unreviewed":
      // A collaborator can push any branch the rulesets leave open, and create any tag the tag ruleset leaves open.
      return kind === "branch"
        ? !model.reviewedBranches.some((b) => globCovers(b, pattern))
        : !model.guardedTags.some((g) => globCovers(g, pattern));
    case "default-branch":
      return kind === "branch" && globCovers(pattern, model.defaultBranch);
    case "release-tag":
      return kind === "tag";
  }
}

/** The workflows that run a pull request's code with the base branch's secrets: what a fork or Dependabot could reach. */
export function privilegedPullRequestWorkflows(workflows: readonly Workflow[]): Workflow[] {
  return workflows.filter((w) => {
    const on = w.on as Readonly<Record<string, unknown>>;
    return "pullRequestTarget" in on || "workflowRun" in on;
  });
}

/** The environments a workflow's jobs name, with a matrix expanded. */
export function workflowEnvironments(workflow: Workflow): string[] {
  const names: string[] = [];
  for (const job of Object.values(workflow.jobs)) {
    if (isCallJob(job) || job.environment === undefined) continue;
    const name = job.environment.name;
    const matrix = job.strategy?.matrix ?? {};
    const expanded = Object.entries(matrix).reduce<string[]>(
      (all, [key, values]) =>
        all.flatMap((n) => (n.includes(`\${{ matrix.${key} }}`) ? values.map((v) => n.split(`\${{ matrix.${key} }}`).join(v)) : [n])),
      [name],
    );
    names.push(...expanded);
  }
  return [...new Set(names)];
}

/** Every secret of the environments, the repository's when `repository`, and what each reached passphrase decrypts. */
function secretsOf(model: RepositoryModel, environments: readonly string[], repository: boolean): ReachedSecret[] {
  const direct: ReachedSecret[] = [
    ...model.environments
      .filter((env) => environments.includes(env.name))
      .flatMap((env) =>
        env.secrets.map((key) => ({ configKey: key, grants: grantsOf(key), via: `environment ${env.name}`, stack: env.stack })),
      ),
    ...(repository ? model.repositorySecrets.map((s) => ({ ...s, grants: grantsOf(s.configKey), via: "the repository" })) : []),
  ];
  const decrypted = Object.entries(model.configSecrets)
    .filter(([stack]) => direct.some((s) => s.stack === stack && s.grants === "decrypts-config"))
    .flatMap(([stack, keys]) =>
      keys.map((key) => ({ configKey: key, grants: grantsOf(key), via: `decrypting stack ${stack}'s config with its passphrase`, stack })),
    );
  const seen = new Set<string>();
  return [...direct, ...decrypted].filter((s) => {
    const id = `${s.stack}:${s.configKey}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** What each trigger reaches, given the repository (both stacks' environments and gates) and every workflow they generate. */
export function reachability(model: RepositoryModel, workflows: readonly Workflow[]): TriggerReach[] {
  const privileged = privilegedPullRequestWorkflows(workflows).flatMap(workflowEnvironments);
  return triggers.map(({ id, reviewed }) => {
    let open: string[];
    let approved: string[] = [];
    let repository: boolean;
    if (id === "fork" || id === "dependabot") {
      // GitHub gives these runs no secrets and a read-only token; only a privileged workflow hands them some.
      open = model.environments.filter((e) => privileged.includes(e.name) && !gated(e)).map((e) => e.name);
      repository = privileged.length > 0;
    } else {
      const ref = id === "branch" ? "unreviewed" : id;
      const entered = model.environments.filter((e) => admits(e, ref, model));
      open = entered.filter((e) => !gated(e)).map((e) => e.name);
      approved = entered.filter(gated).map((e) => e.name);
      repository = true;
    }
    return {
      trigger: id,
      reviewed,
      environments: open,
      afterApproval: approved,
      secrets: secretsOf(model, reviewed ? [...open, ...approved] : open, repository),
      secretsAfterApproval: secretsOf(model, [...open, ...approved], repository),
    };
  });
}

/** The secrets code no reviewer approved can reach: must be none. */
export function unreviewedReach(reach: readonly TriggerReach[]): ReachedSecret[] {
  return reach.filter((r) => !r.reviewed).flatMap((r) => r.secrets);
}
