/**
 * The policy pack's configuration for one stack, as the file `pulumi preview`
 * and `pulumi up` read with `--policy-pack-config`: per policy, the settings
 * its checks compare against (the delivery App the rulesets may let bypass,
 * the platforms every image is built for, whether production can have
 * reviewers). Derived from the stack's settings, so the pack judges the
 * program against the stack file rather than against what the program
 * declares. It holds ids and names only, never a secret: each stack publishes
 * it as a plain Actions variable for its workflows to write to a file.
 */
/** The pack's policy names; infra/policy names its policies from here, so a rename cannot orphan a config section. */
export const policyNames = {
  workflowFiles: "workflow-files-hardened",
  productionEnvironment: "production-environment-gated",
  rulesets: "branch-rulesets-protective",
  deployCommand: "deploy-command-secrets-contained",
  imagePlatforms: "image-every-platform",
  secretAge: "secret-age",
  secretsBehindReview: "secrets-behind-review",
  releaseTags: "release-tags-protected",
  actionsToken: "actions-token-read-only",
} as const;

/** What the policies can be told (each optional: without it a policy judges what needs no setting). */
export interface PackConfig {
  readonly deliveryAppId?: number;
  readonly platforms?: readonly string[];
  readonly reviewersAllowed?: boolean;
}

/** The config file's content: one section per configurable policy, holding only that policy's settings. */
export type PackConfigFile = Readonly<Record<string, PackConfig>>;

/** The stack settings the config comes from (a validated stack config has them; this layer sits below config). */
export interface PackSettings {
  readonly deliveryAppId: number;
  readonly platforms: readonly string[];
  readonly repositoryVisibility: string;
  readonly githubPlan: string;
}

export function policyPackConfig(config: PackSettings): PackConfigFile {
  return {
    [policyNames.rulesets]: { deliveryAppId: config.deliveryAppId },
    [policyNames.releaseTags]: { deliveryAppId: config.deliveryAppId },
    [policyNames.imagePlatforms]: { platforms: [...config.platforms] },
    // GitHub offers required reviewers on public repositories, and on private ones only with Enterprise.
    [policyNames.productionEnvironment]: {
      reviewersAllowed: config.repositoryVisibility === "public" || config.githubPlan === "enterprise",
    },
  };
}
