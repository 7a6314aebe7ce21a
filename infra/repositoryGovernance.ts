import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { ActionsPermissionsSpec, RulesetSpec, SecretRef, VariableSpec } from "../src/pipeline";
import { resourceSuffix } from "./resourceNames";

export interface RepositoryGovernanceArgs {
  readonly repository: string;
  readonly rulesets: readonly RulesetSpec[];
  readonly actionsPermissions: ActionsPermissionsSpec;
  /** Repository-wide secrets, each with its value as a Pulumi secret. */
  readonly secrets: readonly { readonly ref: SecretRef; readonly value: pulumi.Output<string> }[];
  readonly variables: readonly VariableSpec[];
}

/**
 * Everything repository-wide, owned by the one stack that governs the
 * repository: branch rulesets, Actions hardening, repository secrets and
 * variables.
 */
export class RepositoryGovernance extends pulumi.ComponentResource {
  constructor(name: string, args: RepositoryGovernanceArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("delivery:github:RepositoryGovernance", name, {}, opts);
    const childOpts = { parent: this };

    for (const ruleset of args.rulesets) {
      new github.RepositoryRuleset(
        `${name}-${ruleset.name}`,
        {
          repository: args.repository,
          name: ruleset.name,
          target: "branch",
          enforcement: "active",
          conditions: { refName: { includes: [`refs/heads/${ruleset.branch}`], excludes: [] } },
          // Only the delivery App may bypass, so the workflow files it commits can land on a protected branch.
          bypassActors: [{ actorType: "Integration", actorId: ruleset.bypassAppId, bypassMode: "always" }],
          rules: {
            deletion: true,
            nonFastForward: true,
            pullRequest: {
              requiredApprovingReviewCount: ruleset.requiredApprovals,
              dismissStaleReviewsOnPush: true,
              requireLastPushApproval: true,
              requiredReviewThreadResolution: true,
            },
            requiredStatusChecks: {
              strictRequiredStatusChecksPolicy: true,
              requiredChecks: ruleset.requiredChecks.map((context) => ({ context })),
            },
          },
        },
        childOpts,
      );
    }

    const permissions = args.actionsPermissions;
    new github.ActionsRepositoryPermissions(
      `${name}-actions-permissions`,
      {
        repository: args.repository,
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

    for (const { ref, value } of args.secrets) {
      new github.ActionsSecret(
        `${name}-secret-${resourceSuffix(ref.githubName)}`,
        { repository: args.repository, secretName: ref.githubName, value },
        childOpts,
      );
    }
    for (const variable of args.variables) {
      new github.ActionsVariable(
        `${name}-variable-${resourceSuffix(variable.githubName)}`,
        { repository: args.repository, variableName: variable.githubName, value: variable.value },
        childOpts,
      );
    }

    this.registerOutputs({});
  }
}
