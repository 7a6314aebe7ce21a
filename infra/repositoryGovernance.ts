import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { GovernanceSlice, RulesetSpec, TagRulesetSpec } from "../src/pipeline";
import { resourceSuffix } from "./resourceNames";
import { secretValue, type SecretValues } from "./secrets";

export interface RepositoryGovernanceArgs {
  readonly repository: string;
  /** The governing stack's slice of the spec: rulesets, Actions permissions, repository secrets and variables. */
  readonly governance: GovernanceSlice;
  /** The values of the secrets the slice names, by config key. */
  readonly secrets: SecretValues;
}

/** A ruleset's inputs: the spec's rules, in the provider's shape. */
export function rulesetArgs(repository: string, ruleset: RulesetSpec): github.RepositoryRulesetArgs {
  const { rules } = ruleset;
  return {
    repository,
    name: ruleset.name,
    target: "branch",
    enforcement: ruleset.enforcement,
    conditions: { refName: { includes: [ruleset.ref], excludes: [] } },
    bypassActors: [{ actorType: "Integration", actorId: ruleset.bypass.appId, bypassMode: ruleset.bypass.mode }],
    rules: {
      deletion: rules.deletion,
      nonFastForward: rules.nonFastForward,
      pullRequest: rules.pullRequest,
      requiredStatusChecks: {
        strictRequiredStatusChecksPolicy: rules.requiredStatusChecks.strictRequiredStatusChecksPolicy,
        requiredChecks: rules.requiredStatusChecks.requiredChecks.map((context) => ({ context })),
      },
    },
  };
}

/** The release-tag ruleset's inputs: only the App and repository admins create, move or delete `v*` tags. */
export function tagRulesetArgs(repository: string, ruleset: TagRulesetSpec): github.RepositoryRulesetArgs {
  const { bypass } = ruleset;
  return {
    repository,
    name: ruleset.name,
    target: "tag",
    enforcement: ruleset.enforcement,
    conditions: { refName: { includes: [ruleset.ref], excludes: [] } },
    bypassActors: [
      { actorType: "Integration", actorId: bypass.appId, bypassMode: bypass.mode },
      { actorType: "RepositoryRole", actorId: bypass.adminRoleId, bypassMode: bypass.mode },
    ],
    rules: { ...ruleset.rules },
  };
}

/**
 * Everything repository-wide, owned by the one stack that governs the
 * repository: branch rulesets, the release-tag ruleset, Actions hardening
 * (allowed actions, SHA pinning, `github.token` read-only and unable to approve
 * pull requests), repository secrets and variables.
 */
export class RepositoryGovernance extends pulumi.ComponentResource {
  constructor(name: string, args: RepositoryGovernanceArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("delivery:github:RepositoryGovernance", name, {}, opts);
    const { repository, governance } = args;
    const childOpts = { parent: this };

    for (const ruleset of governance.rulesets) {
      new github.RepositoryRuleset(`${name}-${ruleset.name}`, rulesetArgs(repository, ruleset), childOpts);
    }
    new github.RepositoryRuleset(`${name}-${governance.tagRuleset.name}`, tagRulesetArgs(repository, governance.tagRuleset), childOpts);
    new github.WorkflowRepositoryPermissions(`${name}-workflow-permissions`, { repository, ...governance.workflowPermissions }, childOpts);

    const permissions = governance.actionsPermissions;
    new github.ActionsRepositoryPermissions(
      `${name}-actions-permissions`,
      {
        repository,
        enabled: true,
        allowedActions: permissions.allowedActions,
        allowedActionsConfig: {
          githubOwnedAllowed: permissions.githubOwnedAllowed,
          verifiedAllowed: permissions.verifiedAllowed,
          patternsAlloweds: [...permissions.patternsAllowed],
        },
        shaPinningRequired: permissions.shaPinningRequired,
      },
      childOpts,
    );

    for (const ref of governance.secrets) {
      new github.ActionsSecret(
        `${name}-secret-${resourceSuffix(ref.githubName)}`,
        { repository, secretName: ref.githubName, value: secretValue(args.secrets, ref.configKey) },
        childOpts,
      );
    }
    for (const variable of governance.variables) {
      new github.ActionsVariable(
        `${name}-variable-${resourceSuffix(variable.githubName)}`,
        { repository, variableName: variable.githubName, value: variable.value },
        childOpts,
      );
    }

    this.registerOutputs({});
  }
}
