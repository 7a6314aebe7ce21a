import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentSlice } from "../src/pipeline";
import { resourceSuffix } from "./resourceNames";
import { secretValue, type SecretValues } from "./secrets";

export interface DeploymentEnvironmentArgs {
  /** The app repository's name (without owner; the provider carries the owner). */
  readonly repository: string;
  /** The environment's slice of the spec: its protection rules, secrets and variables. */
  readonly environment: EnvironmentSlice;
  /** The values of the secrets the slice names, by config key. */
  readonly secrets: SecretValues;
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
    const environment = new github.RepositoryEnvironment(
      `${name}-environment`,
      {
        repository: args.repository,
        environment: env.name,
        reviewers: this.reviewers(env),
        waitTimer: env.waitTimerMinutes,
        preventSelfReview: env.preventSelfReview,
        canAdminsBypass: env.canAdminsBypass,
        // No policy: any branch.
        ...(env.deploymentPolicy === undefined ? {} : { deploymentBranchPolicy: env.deploymentPolicy.branchPolicy }),
      },
      { parent: this },
    );
    this.environmentName = environment.environment;
    this.url = env.url;
    this.declareContents(name, args, environment.environment);
    this.registerOutputs({ environmentName: this.environmentName, url: this.url });
  }

  /** GitHub wants numeric ids; reviewers are configured by login and slug, which people can read. */
  private reviewers(env: EnvironmentSlice): github.types.input.RepositoryEnvironmentReviewer[] {
    const userIds = env.reviewerUsers.map((login) =>
      github.getUserOutput({ username: login }, { parent: this }).apply((u) => Number(u.id)),
    );
    const teamIds = env.reviewerTeams.map((slug) =>
      github.getTeamOutput({ slug, summaryOnly: true }, { parent: this }).apply((t) => Number(t.id)),
    );
    return userIds.length + teamIds.length > 0 ? [{ users: userIds, teams: teamIds }] : [];
  }

  /** The deployment policy, the secrets and the variables: everything that lives in the environment. */
  private declareContents(name: string, args: DeploymentEnvironmentArgs, environment: pulumi.Output<string>): void {
    const { repository, environment: env } = args;
    const childOpts = { parent: this };
    const policy = env.deploymentPolicy;
    if (policy !== undefined) {
      const { kind, pattern } = policy.allowed;
      new github.RepositoryEnvironmentDeploymentPolicy(
        `${name}-deployment-policy`,
        { repository, environment, ...(kind === "branch" ? { branchPattern: pattern } : { tagPattern: pattern }) },
        childOpts,
      );
    }
    for (const ref of env.secrets) {
      new github.ActionsEnvironmentSecret(
        `${name}-secret-${resourceSuffix(ref.githubName)}`,
        { repository, environment, secretName: ref.githubName, value: secretValue(args.secrets, ref.configKey) },
        childOpts,
      );
    }
    for (const variable of env.variables) {
      new github.ActionsEnvironmentVariable(
        `${name}-variable-${resourceSuffix(variable.githubName)}`,
        { repository, environment, variableName: variable.githubName, value: variable.value },
        childOpts,
      );
    }
  }
}
