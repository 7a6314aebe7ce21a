import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentSpec, SecretRef, VariableSpec } from "../src/pipeline";
import { resourceSuffix } from "./resourceNames";

export interface DeploymentEnvironmentArgs {
  /** The app repository's name (without owner; the provider carries the owner). */
  readonly repository: string;
  readonly environment: EnvironmentSpec;
  /** This environment's secrets, each with its value as a Pulumi secret. */
  readonly secrets: readonly { readonly ref: SecretRef; readonly value: pulumi.Output<string> }[];
  readonly variables: readonly VariableSpec[];
}

/**
 * One GitHub deployment environment: its protection rules (reviewers, wait
 * timer, self-review, admin bypass), the refs allowed to deploy to it, and its
 * own secrets and variables.
 */
export class DeploymentEnvironment extends pulumi.ComponentResource {
  public readonly environmentName: pulumi.Output<string>;
  public readonly url: string | undefined;

  constructor(name: string, args: DeploymentEnvironmentArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("delivery:github:DeploymentEnvironment", name, {}, opts);
    const env = args.environment;
    const childOpts = { parent: this };

    // GitHub wants numeric ids; reviewers are configured by login and slug, which people can read.
    const userIds = env.reviewerUsers.map((login) => github.getUserOutput({ username: login }, childOpts).apply((u) => Number(u.id)));
    const teamIds = env.reviewerTeams.map((slug) =>
      github.getTeamOutput({ slug, summaryOnly: true }, childOpts).apply((t) => Number(t.id)),
    );
    const reviewers = userIds.length + teamIds.length > 0 ? [{ users: userIds, teams: teamIds }] : [];

    const environment = new github.RepositoryEnvironment(
      `${name}-environment`,
      {
        repository: args.repository,
        environment: env.name,
        reviewers,
        waitTimer: env.waitTimerMinutes,
        preventSelfReview: env.preventSelfReview,
        canAdminsBypass: env.canAdminsBypass,
        // Custom policies, not "protected branches": a release tag is not a branch. No policy: any branch.
        ...(env.deploymentPolicy === undefined ? {} : { deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } }),
      },
      childOpts,
    );
    this.environmentName = environment.environment;
    this.url = env.url;

    const policy = env.deploymentPolicy;
    if (policy !== undefined) {
      new github.RepositoryEnvironmentDeploymentPolicy(
        `${name}-deployment-policy`,
        {
          repository: args.repository,
          environment: environment.environment,
          ...(policy.kind === "branch" ? { branchPattern: policy.pattern } : { tagPattern: policy.pattern }),
        },
        childOpts,
      );
    }

    for (const { ref, value } of args.secrets) {
      new github.ActionsEnvironmentSecret(
        `${name}-secret-${resourceSuffix(ref.githubName)}`,
        { repository: args.repository, environment: environment.environment, secretName: ref.githubName, value },
        childOpts,
      );
    }
    for (const variable of args.variables) {
      new github.ActionsEnvironmentVariable(
        `${name}-variable-${resourceSuffix(variable.githubName)}`,
        { repository: args.repository, environment: environment.environment, variableName: variable.githubName, value: variable.value },
        childOpts,
      );
    }

    this.registerOutputs({ environmentName: this.environmentName, url: this.url });
  }
}
