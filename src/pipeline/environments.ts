/** The two GitHub deployment environments a stack owns, and who may deploy to each: plain data from the config. */
import type { StackConfig } from "../config";
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
  /** Shown on deployments; the preview environment deploys nothing and has none. */
  readonly url: string | undefined;
  readonly reviewerUsers: readonly string[];
  readonly reviewerTeams: readonly string[];
  readonly waitTimerMinutes: number;
  readonly preventSelfReview: boolean;
  readonly canAdminsBypass: boolean;
  /** Which refs may use the environment; `undefined`: any branch (the preview environment). */
  readonly deploymentPolicy: DeploymentPolicy | undefined;
}

export function previewEnvironmentName(stack: string): string {
  return `${stack}-preview`;
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
    // Production: the person who triggered a deploy cannot approve it, and admins cannot skip the approval.
    preventSelfReview: production,
    canAdminsBypass: !production,
    deploymentPolicy: production ? deploymentPolicy("tag", releaseTagGlob) : deploymentPolicy("branch", config.defaultBranch),
  };
}

/**
 * `<stack>-preview`: where pull request previews and drift checks run, with
 * only what `pulumi preview` needs, so they never touch the deploy environment.
 * No gate and any branch: a preview changes nothing.
 */
export function previewEnvironmentSpec(stack: string): EnvironmentSpec {
  return {
    name: previewEnvironmentName(stack),
    url: undefined,
    reviewerUsers: [],
    reviewerTeams: [],
    waitTimerMinutes: 0,
    preventSelfReview: false,
    canAdminsBypass: true,
    deploymentPolicy: undefined,
  };
}
