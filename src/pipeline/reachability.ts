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
import type { EnvironmentSlice, PipelineSpec } from "./spec";
import { stackEnvironments } from "./spec";

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
  readonly secrets: readonly ReachedSecret[];
}

const grantsOf = (key: SecretKey): Grants => secretDefinitions.find((d) => d.key === key)?.grants ?? "writes";

/** Does a ref glob of a ruleset cover every ref a policy glob admits? (GitHub's fnmatch, for the shapes used here.) */
export function globCovers(ruleset: string, policy: string): boolean {
  if (ruleset === policy) return true;
  return ruleset.endsWith("*") && !ruleset.slice(0, -1).includes("*") && policy.startsWith(ruleset.slice(0, -1));
}

interface Gates {
  /**
   * Branch names whose every push needs an approved pull request (the rulesets' pull request rule). Empty when
   * a workflow may approve pull requests: a branch's workflow would approve its own and merge it.
   */
  readonly reviewedBranches: readonly string[];
  /** Tag globs only the App and admins may create, move or delete. */
  readonly guardedTags: readonly string[];
  readonly defaultBranch: string;
}

function gatesOf(specs: readonly PipelineSpec[]): Gates {
  const governing = specs.find((s) => s.governance !== undefined)?.governance;
  const actionsMayApprove = governing?.workflowPermissions.canApprovePullRequestReviews !== false;
  const reviewedBranches = actionsMayApprove
    ? []
    : (governing?.rulesets ?? [])
        .filter((r) => r.rules.pullRequest.requiredApprovingReviewCount > 0 && r.rules.nonFastForward && r.rules.deletion)
        .map((r) => r.ref.replace(/^refs\/heads\//, ""));
  const tag = governing?.tagRuleset;
  const guardedTags = tag !== undefined && tag.rules.creation && tag.rules.update && tag.rules.deletion ? [tag.ref.replace(/^refs\/tags\//, "")] : [];
  return { reviewedBranches, guardedTags, defaultBranch: specs[0]?.repository.defaultBranch ?? "main" };
}

/** A run's approval: reviewers who are not the one who started it; admins may not skip them. */
const gated = (env: EnvironmentSlice): boolean =>
  env.reviewerUsers.length + env.reviewerTeams.length > 0 && env.preventSelfReview && !env.canAdminsBypass;

/** Whether a run on a ref of this kind may enter the environment (ignoring its reviewers). */
function admits(env: EnvironmentSlice, ref: "unreviewed" | "default-branch" | "release-tag", gates: Gates): boolean {
  const policy = env.deploymentPolicy;
  if (policy === undefined) return true;
  const { kind, pattern } = policy.allowed;
  switch (ref) {
    case "unreviewed":
      // A collaborator can push any branch the rulesets leave open, and create any tag the tag ruleset leaves open.
      return kind === "branch" ? !gates.reviewedBranches.some((b) => globCovers(b, pattern)) : !gates.guardedTags.some((g) => globCovers(g, pattern));
    case "default-branch":
      return kind === "branch" && globCovers(pattern, gates.defaultBranch);
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
      (all, [key, values]) => all.flatMap((n) => (n.includes(`\${{ matrix.${key} }}`) ? values.map((v) => n.split(`\${{ matrix.${key} }}`).join(v)) : [n])),
      [name],
    );
    names.push(...expanded);
  }
  return [...new Set(names)];
}

/** Every secret of the environments, the repository when `repository`, and what each reached passphrase decrypts. */
function secretsOf(specs: readonly PipelineSpec[], environments: readonly string[], repository: boolean): ReachedSecret[] {
  const direct: ReachedSecret[] = [];
  for (const spec of specs) {
    for (const env of stackEnvironments(spec)) {
      if (!environments.includes(env.name)) continue;
      for (const s of env.secrets) direct.push({ configKey: s.configKey, grants: grantsOf(s.configKey), via: `environment ${env.name}`, stack: spec.stack });
    }
    if (repository && spec.governance !== undefined) {
      for (const s of spec.governance.secrets) direct.push({ configKey: s.configKey, grants: grantsOf(s.configKey), via: "the repository", stack: spec.stack });
    }
  }
  const decrypted = specs
    .filter((spec) => direct.some((s) => s.stack === spec.stack && s.grants === "decrypts-config"))
    .flatMap((spec) =>
      spec.secretsRead.map((key) => ({ configKey: key, grants: grantsOf(key), via: `decrypting stack ${spec.stack}'s config with its passphrase`, stack: spec.stack })),
    );
  const seen = new Set<string>();
  return [...direct, ...decrypted].filter((s) => {
    const id = `${s.stack}:${s.configKey}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** What each trigger reaches, given both stacks' specs and every workflow they generate. */
export function reachability(specs: readonly PipelineSpec[], workflows: readonly Workflow[]): TriggerReach[] {
  const gates = gatesOf(specs);
  const environments = specs.flatMap((s) => stackEnvironments(s));
  const privileged = privilegedPullRequestWorkflows(workflows).flatMap(workflowEnvironments);
  return triggers.map(({ id, reviewed }) => {
    let open: string[];
    let approved: string[] = [];
    let repository: boolean;
    if (id === "fork" || id === "dependabot") {
      // GitHub gives these runs no secrets and a read-only token; only a privileged workflow hands them some.
      open = environments.filter((e) => privileged.includes(e.name) && !gated(e)).map((e) => e.name);
      repository = privileged.length > 0;
    } else {
      const ref = id === "branch" ? "unreviewed" : id;
      const entered = environments.filter((e) => admits(e, ref, gates));
      open = entered.filter((e) => !gated(e)).map((e) => e.name);
      approved = entered.filter(gated).map((e) => e.name);
      repository = true;
    }
    return {
      trigger: id,
      reviewed,
      environments: open,
      afterApproval: approved,
      secrets: secretsOf(specs, reviewed ? [...open, ...approved] : open, repository),
    };
  });
}

/** The secrets code no reviewer approved can reach: must be none. */
export function unreviewedReach(reach: readonly TriggerReach[]): ReachedSecret[] {
  return reach.filter((r) => !r.reviewed).flatMap((r) => r.secrets);
}
