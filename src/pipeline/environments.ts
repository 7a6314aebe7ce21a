/**
 * The GitHub deployment environments a stack owns, and who may use each: plain
 * data from the config. Every one that holds a secret admits only code a
 * reviewer approved: the default branch (reviewed pull requests only, by the
 * rulesets), release tags (only the App and admins may create them), or any
 * branch after a reviewer approves the run.
 */
import type { StackConfig } from "../config";
import { enginePreviewsEnabled } from "../config/crossField";
import { releaseTagGlob } from "../formats";

/** Which refs may deploy to an environment. */
export interface DeploymentPolicy {
  /**
   * GitHub's setting for the environment: custom policies only, never "protected branches",
   * since a release tag is not a branch.
   */
  readonly branchPolicy: { readonly protectedBranches: boolean; readonly customBranchPolicies: boolean };
  /** The one custom policy: a branch name or a tag pattern. */
  readonly allowed: { readonly kind: "branch" | "tag"; readonly pattern: string };
}

export interface EnvironmentSpec {
  readonly name: string;
  /** Shown on deployments; the preview and drift environments deploy nothing and have none. */
  readonly url: string | undefined;
  readonly reviewerUsers: readonly string[];
  readonly reviewerTeams: readonly string[];
  readonly waitTimerMinutes: number;
  readonly preventSelfReview: boolean;
  readonly canAdminsBypass: boolean;
  /** Which refs may use the environment; `undefined`: any branch (the preview environment, behind its reviewers). */
  readonly deploymentPolicy: DeploymentPolicy | undefined;
}

export function previewEnvironmentName(stack: string): string {
  return `${stack}-preview`;
}

export function driftEnvironmentName(stack: string): string {
  return `${stack}-drift`;
}

export function planEnvironmentName(stack: string): string {
  return `${stack}-plan`;
}

/** Whether this stack's deploys apply a saved plan a reviewer approved: production's, which ship release tags. */
export function hasPlanEnvironment(config: { readonly stack: string }): boolean {
  return config.stack === "production";
}

/** Only one ref pattern may deploy: staging's default branch, or production's release tags. */
function deploymentPolicy(kind: "branch" | "tag", pattern: string): DeploymentPolicy {
  return { branchPolicy: { protectedBranches: false, customBranchPolicies: true }, allowed: { kind, pattern } };
}

/** The environment deploy jobs run in, named after the stack. */
export function deployEnvironmentSpec(config: StackConfig): EnvironmentSpec {
  const production = config.stack === "production";
  return {
    name: config.stack,
    url: `https://${config.railwayDomain}`,
    reviewerUsers: config.reviewerUsers,
    reviewerTeams: config.reviewerTeams,
    waitTimerMinutes: config.waitTimerMinutes,
    // Production: the person who triggered a deploy cannot approve it.
    preventSelfReview: production,
    // No environment lets an admin skip its rules: GitHub counts the branch and tag policies among them.
    canAdminsBypass: false,
    deploymentPolicy: production ? deploymentPolicy("tag", releaseTagGlob) : deploymentPolicy("branch", config.defaultBranch),
  };
}

/** Whether this stack has a `<stack>-preview` environment: preview reviewers are set, and GitHub enforces reviewers here. */
export function hasPreviewEnvironment(config: StackConfig): boolean {
  return enginePreviewsEnabled(config);
}

/**
 * `<stack>-preview`: where a pull request's `pulumi preview` runs on the real
 * engine. Its code is the pull request's, unreviewed, and the environment holds
 * the passphrase, which decrypts every secret of the stack: so the run waits
 * until a preview reviewer other than the one who pushed approves it, and no
 * admin may skip that. Any branch: a pull request's head is any branch.
 * `undefined` when the stack has no preview reviewers (or GitHub offers no
 * reviewers here): pull requests then get the offline plan only.
 */
export function previewEnvironmentSpec(config: StackConfig): EnvironmentSpec | undefined {
  if (!hasPreviewEnvironment(config)) return undefined;
  return {
    name: previewEnvironmentName(config.stack),
    url: undefined,
    reviewerUsers: config.previewReviewerUsers,
    reviewerTeams: config.previewReviewerTeams,
    waitTimerMinutes: 0,
    preventSelfReview: true,
    canAdminsBypass: false,
    deploymentPolicy: undefined,
  };
}

/**
 * `<stack>-drift`: where the scheduled drift check runs, with only what
 * `pulumi preview --refresh` needs. Only the default branch may use it, whose
 * code a reviewer approved before it landed (the rulesets): a workflow on any
 * other branch asking for it is refused by GitHub.
 */
export function driftEnvironmentSpec(config: StackConfig): EnvironmentSpec {
  return ungated(driftEnvironmentName(config.stack), deploymentPolicy("branch", config.defaultBranch));
}

/** An environment with no reviewer of its own: what decides who may use it is its one ref policy, and admins may not skip it. */
function ungated(name: string, policy: DeploymentPolicy): EnvironmentSpec {
  return {
    name,
    url: undefined,
    reviewerUsers: [],
    reviewerTeams: [],
    waitTimerMinutes: 0,
    preventSelfReview: false,
    canAdminsBypass: false,
    deploymentPolicy: policy,
  };
}

/**
 * `<stack>-plan` (production): where deploy-production.yml's plan job runs
 * `pulumi preview --save-plan` for the release the run is for, with only what
 * a preview needs (the read-only App, read-only state credentials where set,
 * the passphrase). Only release tags may use it, which only the App and
 * admins may create or move (the tag ruleset): the code it runs is a
 * release's. It needs no reviewer of its own: the reviewers approve what it
 * planned, at the deploy environment.
 */
export function planEnvironmentSpec(config: StackConfig): EnvironmentSpec | undefined {
  if (!hasPlanEnvironment(config)) return undefined;
  return ungated(planEnvironmentName(config.stack), deploymentPolicy("tag", releaseTagGlob));
}
