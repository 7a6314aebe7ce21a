/** Everything repository-wide, owned by the one stack that governs the repository: plain data from the config. */
import type { SecretKey, StackConfig } from "../config";
import { releaseTagGlob } from "../formats";
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

/**
 * GitHub's id of the repository admin role as a ruleset bypass actor
 * (`actor_type: RepositoryRole`, `actor_id: 5`, per the terraform provider's
 * repository_ruleset documentation that pulumi-github is generated from).
 */
export const repositoryAdminRoleId = 5;

/**
 * The release-tag ruleset: only the delivery App and repository admins may
 * create, move or delete a `v*` tag. Production's environment admits release
 * tags, and its deploy workflow, program and policy pack are the tag's own: a
 * writer who could tag an unreviewed commit would hand it production's secrets
 * after one approval.
 */
export interface TagRulesetSpec {
  readonly name: string;
  /** The tags it protects, as a full ref pattern (`refs/tags/v*`). */
  readonly ref: string;
  readonly enforcement: "active";
  readonly bypass: { readonly appId: number; readonly adminRoleId: number; readonly mode: "always" };
  readonly rules: { readonly creation: boolean; readonly update: boolean; readonly deletion: boolean; readonly nonFastForward: boolean };
}

/** Actions' own token and its power to approve pull requests (GitHub's workflow permissions of the repository). */
export interface WorkflowPermissionsSpec {
  /** `github.token` starts read-only wherever a workflow does not grant more. */
  readonly defaultWorkflowPermissions: "read";
  /**
   * No workflow may approve a pull request: a branch's workflow granting itself `pull-requests: write` would
   * otherwise approve its own pull request, and github-actions[bot] counts as a reviewer other than the pusher.
   */
  readonly canApprovePullRequestReviews: boolean;
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
  readonly tagRuleset: TagRulesetSpec;
  readonly actionsPermissions: ActionsPermissionsSpec;
  readonly workflowPermissions: WorkflowPermissionsSpec;
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

export function tagRulesetSpec(config: StackConfig): TagRulesetSpec {
  return {
    name: "protect-release-tags",
    ref: `refs/tags/${releaseTagGlob}`,
    enforcement: "active",
    bypass: { appId: config.deliveryAppId, adminRoleId: repositoryAdminRoleId, mode: "always" },
    rules: { creation: true, update: true, deletion: true, nonFastForward: true },
  };
}

export const workflowPermissionsSpec: WorkflowPermissionsSpec = { defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false };

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
  return {
    rulesets: rulesetSpecs(config),
    tagRuleset: tagRulesetSpec(config),
    actionsPermissions: actionsPermissionsSpec(config),
    workflowPermissions: workflowPermissionsSpec,
    ...publishedTo(undefined, config, needed),
  };
}
