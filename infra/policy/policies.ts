/**
 * The policies of the pack, assembled from the pure checks in src/policies/.
 * Tests import this list; only index.ts constructs the pack (which starts a server).
 */
import type {
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { knownValues } from "./knownValues";
import {
  deployCommandViolations,
  imageViolations,
  productionDeploymentPolicyViolations,
  productionEnvironmentViolations,
  rulesetViolations,
  secretAgeViolations,
  tagRulesetViolations,
  ungatedSecretViolations,
  workflowFileViolations,
  workflowPermissionViolations,
  type Props,
} from "../../src/policies/checks";
// What the pack can be told with `--policy-pack-config`: the workflows pass the file src/policies/packConfig.ts makes.
import { policyNames, type PackConfig } from "../../src/policies/packConfig";
import { defaultPlatforms } from "../../src/formats";

export type { PackConfig };

const report = (violations: readonly string[], reportViolation: ReportViolation): void => {
  for (const v of violations) reportViolation(v);
};

type Check = (props: Props, config: PackConfig) => string[];

/** A resource policy that also says which resource types it checks (the engine suite reads this). */
export interface TypedResourcePolicy extends ResourceValidationPolicy {
  readonly checkedTypes: readonly string[];
}

/**
 * One policy for the resource types it names, each with a pure check. Other
 * types are "not applicable", so the engine's summary lists the policy as
 * passed only for resources it really checked. Values unknown during preview
 * are handed to the check as `unknownValue`: reading them through the SDK's
 * proxy would throw and skip the whole policy ("can't run policy during preview").
 */
function resourcePolicy(
  policy: Omit<ResourceValidationPolicy, "validateResource"> & { readonly checks: Readonly<Record<string, Check>> },
): TypedResourcePolicy {
  const { checks, ...rest } = policy;
  const validateResource: ResourceValidation = (args, reportViolation) => {
    const check = checks[args.type];
    if (check === undefined) args.notApplicable(`applies to ${Object.keys(checks).join(", ")} only`);
    else report(check(knownValues(args.props) as Props, args.getConfig<PackConfig & object>()), reportViolation);
  };
  return { ...rest, validateResource, checkedTypes: Object.keys(checks) };
}

const schema = (properties: PolicyConfigSchema["properties"]): PolicyConfigSchema => ({ properties });

export const policies: (TypedResourcePolicy | StackValidationPolicy)[] = [
  resourcePolicy({
    name: policyNames.workflowFiles,
    description: "Generated workflows pin every action to a full SHA, keep permissions least-privilege and contain no credential.",
    enforcementLevel: "mandatory",
    checks: { "github:index/repositoryFile:RepositoryFile": (props) => workflowFileViolations(props) },
  }),
  resourcePolicy({
    name: policyNames.productionEnvironment,
    description:
      "Production requires reviewers (where the plan allows), no self-review, no admin bypass, and deploys only from release tags.",
    enforcementLevel: "mandatory",
    configSchema: schema({ reviewersAllowed: { type: "boolean", default: true } }),
    checks: {
      "github:index/repositoryEnvironment:RepositoryEnvironment": (props, config) =>
        productionEnvironmentViolations(props, { reviewersAllowed: config.reviewersAllowed ?? true }),
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": (props) =>
        productionDeploymentPolicyViolations(props),
    },
  }),
  resourcePolicy({
    name: policyNames.rulesets,
    description:
      "Branch rulesets require a reviewed pull request and the status checks, forbid force pushes and deletion, and let only the delivery App bypass.",
    enforcementLevel: "mandatory",
    configSchema: schema({ deliveryAppId: { type: "integer" } }),
    checks: {
      "github:index/repositoryRuleset:RepositoryRuleset": (props, config) =>
        rulesetViolations(props, { deliveryAppId: config.deliveryAppId }),
    },
  }),
  resourcePolicy({
    name: policyNames.secretsBehindReview,
    description:
      "No secret is reachable from unreviewed code: an environment any branch may use waits for a reviewer other than the one who started the run, and there are no repository secrets.",
    enforcementLevel: "mandatory",
    checks: {
      "github:index/repositoryEnvironment:RepositoryEnvironment": (props) => ungatedSecretViolations("environment", props),
      "github:index/actionsSecret:ActionsSecret": (props) => ungatedSecretViolations("repository-secret", props),
    },
  }),
  resourcePolicy({
    name: policyNames.releaseTags,
    description: "Only the delivery App and repository admins may create, move or delete release tags.",
    enforcementLevel: "mandatory",
    configSchema: schema({ deliveryAppId: { type: "integer" } }),
    checks: {
      "github:index/repositoryRuleset:RepositoryRuleset": (props, config) =>
        tagRulesetViolations(props, { deliveryAppId: config.deliveryAppId }),
    },
  }),
  resourcePolicy({
    name: policyNames.actionsToken,
    description: "github.token defaults to read-only and no workflow may approve a pull request.",
    enforcementLevel: "mandatory",
    checks: { "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions": (props) => workflowPermissionViolations(props) },
  }),
  resourcePolicy({
    name: policyNames.deployCommand,
    description: "Deploy commands take secrets only through environment, cannot echo them into logs, and deploy by digest.",
    enforcementLevel: "mandatory",
    checks: { "command:local:Command": (props) => deployCommandViolations(props) },
  }),
  {
    name: policyNames.imagePlatforms,
    description: "Every configured platform is built (one build per platform, so judged across the stack's builds).",
    enforcementLevel: "mandatory",
    configSchema: schema({ platforms: { type: "array", items: { type: "string" }, default: [...defaultPlatforms] } }),
    validateStack: (args, reportViolation) => {
      const builds = args.resources.filter((r) => r.type === "docker-build:index:Image").map((r) => knownValues(r.props) as Props);
      report(imageViolations(builds, args.getConfig<PackConfig & object>().platforms ?? defaultPlatforms), reportViolation);
    },
  },
  {
    name: policyNames.secretAge,
    description: "Reports secrets whose recorded rotation is older than secretMaxAgeDays, impossible, or not recorded at all.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
      for (const resource of args.resources) {
        if (resource.type !== "delivery:index:DeliveryPipeline") continue;
        const rotatedAt = (resource.props["secretRotatedAt"] ?? {}) as Record<string, string>;
        const maxAgeDays = Number(resource.props["secretMaxAgeDays"] ?? 90);
        report(secretAgeViolations(rotatedAt, maxAgeDays, new Date()), reportViolation);
      }
    },
  },
];
