/** Everything repository-wide, owned by the one stack that governs the repository: plain data from the config. */
import type { SecretKey, StackConfig } from "../config";
import { requiredCheckNames } from "../shipping";
import { allowedActionPatterns } from "../workflows/allowedActions";
import { publishedTo, type Published } from "./publication";

/** A branch ruleset, in the terms of GitHub's rulesets API. */
export interface RulesetSpec {
  /** The ruleset's name in GitHub, and the stem of its resource name. */
  readonly name: string;
  /** The branch it protects, as a full ref (`refs/heads/<branch>`). */
  readonly ref: string;
  readonly enforcement: "active";
  /** The GitHub App that runs `pulumi up`: the only bypass actor, so the files it commits can land. */
  readonly bypass: { readonly appId: number; readonly mode: "always" };
  readonly rules: RulesetRules;
}

export interface RulesetRules {
  readonly deletion: boolean;
  readonly nonFastForward: boolean;
  readonly pullRequest: {
    readonly requiredApprovingReviewCount: number;
    readonly dismissStaleReviewsOnPush: boolean;
    readonly requireLastPushApproval: boolean;
    readonly requiredReviewThreadResolution: boolean;
  };
  readonly requiredStatusChecks: { readonly strictRequiredStatusChecksPolicy: boolean; readonly requiredChecks: readonly string[] };
}

export interface ActionsPermissionsSpec {
  readonly shaPinningRequired: true;
  readonly allowedActions: "selected";
  readonly githubOwnedAllowed: boolean;
  readonly verifiedAllowed: boolean;
  readonly patternsAllowed: readonly string[];
}

/** The governing stack's slice: rulesets, Actions hardening, repository secrets and variables. */
export interface GovernanceSlice extends Published {
  readonly rulesets: readonly RulesetSpec[];
  readonly actionsPermissions: ActionsPermissionsSpec;
}

/**
 * The default and develop branches: no deletion or force-push; changes land by
 * reviewed pull request (one approval, given after the last push, threads
 * resolved) and only after the generated checks pass on an up-to-date branch.
 */
export function rulesetSpecs(config: StackConfig): RulesetSpec[] {
  return [config.defaultBranch, config.developBranch].map((branch) => ({
    name: `protect-${branch.replace(/[^A-Za-z0-9-]/g, "-")}`,
    ref: `refs/heads/${branch}`,
    enforcement: "active",
    bypass: { appId: config.deliveryAppId, mode: "always" },
    rules: {
      deletion: true,
      nonFastForward: true,
      pullRequest: {
        requiredApprovingReviewCount: 1,
        dismissStaleReviewsOnPush: true,
        requireLastPushApproval: true,
        requiredReviewThreadResolution: true,
      },
      requiredStatusChecks: { strictRequiredStatusChecksPolicy: true, requiredChecks: requiredCheckNames(config.pythonVersions) },
    },
  }));
}

/** SHA pinning required, and only the actions the app repository's workflows run (by pinned pattern). */
export function actionsPermissionsSpec(governing: StackConfig): ActionsPermissionsSpec {
  return {
    shaPinningRequired: true,
    allowedActions: "selected",
    githubOwnedAllowed: false,
    verifiedAllowed: false,
    patternsAllowed: allowedActionPatterns(governing),
  };
}

/** The governing stack's slice; `undefined` for the other stack, which declares nothing repository-wide. */
export function governanceSlice(config: StackConfig, needed: ReadonlySet<SecretKey>): GovernanceSlice | undefined {
  if (!config.governsRepository) return undefined;
  return { rulesets: rulesetSpecs(config), actionsPermissions: actionsPermissionsSpec(config), ...publishedTo(undefined, config, needed) };
}
