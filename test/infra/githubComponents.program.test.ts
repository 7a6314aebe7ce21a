// The GitHub components declared directly from hand-made slices: each declares exactly its slice, and nothing it decides itself.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { EnvironmentSlice, GovernanceSlice } from "../../src/pipeline";
import type { ProgramRun } from "../../tools/plan/harness";
import { declareUnderMocks } from "./declare";

const gated: EnvironmentSlice = {
  name: "production",
  url: "https://app.example",
  reviewerUsers: ["octocat"],
  reviewerTeams: ["release-managers"],
  waitTimerMinutes: 5,
  preventSelfReview: true,
  canAdminsBypass: false,
  deploymentPolicy: { branchPolicy: { protectedBranches: false, customBranchPolicies: true }, allowed: { kind: "tag", pattern: "v*" } },
  secrets: [{ githubName: "RAILWAY_API_TOKEN", configKey: "railwayToken" }],
  variables: [{ githubName: "PULUMI_STACK", value: "production" }],
};
const open: EnvironmentSlice = {
  ...gated,
  name: "production-preview",
  url: undefined,
  reviewerUsers: [],
  reviewerTeams: [],
  deploymentPolicy: undefined,
  secrets: [],
  variables: [],
};
const governance: GovernanceSlice = {
  rulesets: [
    {
      name: "protect-main",
      ref: "refs/heads/main",
      enforcement: "active",
      bypass: { appId: 42, mode: "always" },
      rules: {
        deletion: true,
        nonFastForward: false,
        pullRequest: {
          requiredApprovingReviewCount: 2,
          dismissStaleReviewsOnPush: false,
          requireLastPushApproval: true,
          requiredReviewThreadResolution: false,
        },
        requiredStatusChecks: { strictRequiredStatusChecksPolicy: true, requiredChecks: ["lint", "test"] },
      },
    },
  ],
  tagRuleset: {
    name: "protect-release-tags",
    ref: "refs/tags/v*",
    enforcement: "active",
    bypass: { appId: 42, adminRoleId: 5, mode: "always" },
    rules: { creation: true, update: true, deletion: true, nonFastForward: true },
  },
  workflowPermissions: { defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false },
  actionsPermissions: {
    shaPinningRequired: true,
    allowedActions: "selected",
    githubOwnedAllowed: false,
    verifiedAllowed: true,
    patternsAllowed: ["actions/checkout@*"],
  },
  // The catalog publishes no repository secret any more; the component still declares whatever a slice holds.
  secrets: [{ githubName: "SLACK_WEBHOOK_URL", configKey: "slackWebhookUrl" }],
  variables: [{ githubName: "DOCKERHUB_USERNAME", value: "acme" }],
};

let run: ProgramRun;
beforeAll(async () => {
  run = await declareUnderMocks(async () => {
    const { DeploymentEnvironment } = await import("../../infra/deploymentEnvironment.js");
    const { RepositoryGovernance } = await import("../../infra/repositoryGovernance.js");
    const secrets = { railwayToken: pulumi.secret("r"), slackWebhookUrl: pulumi.secret("c") };
    new DeploymentEnvironment("gated", { repository: "app", environment: gated, secrets });
    new DeploymentEnvironment("open", { repository: "app", environment: open, secrets: {} });
    new RepositoryGovernance("repo", { repository: "app", governance, secrets });
  });
});

const named = (name: string) => {
  const found = run.resources.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no ${name}: ${run.resources.map((r) => r.name).join(", ")}`);
  return found;
};

describe("DeploymentEnvironment", () => {
  it("declares the environment with its gate, reviewers by looked-up id, and custom-policy deployments", () => {
    expect(named("gated-environment").inputs).toMatchObject({
      repository: "app",
      environment: "production",
      waitTimer: 5,
      preventSelfReview: true,
      canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    expect(run.invokes.map((i) => [i.token, i.inputs])).toEqual([
      ["github:index/getUser:getUser", { username: "octocat" }],
      ["github:index/getTeam:getTeam", { slug: "release-managers", summaryOnly: true }],
    ]);
    expect(named("gated-deployment-policy").inputs).toEqual({ repository: "app", environment: "production", tagPattern: "v*" });
  });

  it("publishes the slice's secrets as Pulumi secrets and its variables in the clear", () => {
    const secret = named("gated-secret-railway-api-token");
    expect(secret.inputs).toEqual({ repository: "app", environment: "production", secretName: "RAILWAY_API_TOKEN", value: "[secret]" });
    expect(secret.plainInputs["value"]).toBe("r");
    expect(named("gated-variable-pulumi-stack").inputs).toMatchObject({ variableName: "PULUMI_STACK", value: "production" });
  });

  it("gives an environment without a policy no branch policy, no reviewers and nothing inside", () => {
    const environment = named("open-environment");
    expect(environment.inputs).not.toHaveProperty("deploymentBranchPolicy");
    expect(environment.inputs["reviewers"]).toEqual([]);
    expect(run.resources.filter((r) => r.name.startsWith("open-")).map((r) => r.name)).toEqual(["open-environment"]);
  });
});

describe("RepositoryGovernance", () => {
  it("declares each ruleset with the slice's rules, target and bypass", () => {
    expect(named("repo-protect-main").inputs).toEqual({
      repository: "app",
      name: "protect-main",
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/heads/main"], excludes: [] } },
      bypassActors: [{ actorType: "Integration", actorId: 42, bypassMode: "always" }],
      rules: {
        deletion: true,
        nonFastForward: false,
        pullRequest: {
          requiredApprovingReviewCount: 2,
          dismissStaleReviewsOnPush: false,
          requireLastPushApproval: true,
          requiredReviewThreadResolution: false,
        },
        requiredStatusChecks: { strictRequiredStatusChecksPolicy: true, requiredChecks: [{ context: "lint" }, { context: "test" }] },
      },
    });
  });

  it("declares the release-tag ruleset on tags, bypassed only by the App and the admin role", () => {
    expect(named("repo-protect-release-tags").inputs).toEqual({
      repository: "app",
      name: "protect-release-tags",
      target: "tag",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/tags/v*"], excludes: [] } },
      bypassActors: [
        { actorType: "Integration", actorId: 42, bypassMode: "always" },
        { actorType: "RepositoryRole", actorId: 5, bypassMode: "always" },
      ],
      rules: { creation: true, update: true, deletion: true, nonFastForward: true },
    });
  });

  it("declares the workflow permissions from the slice", () => {
    const permissions = named("repo-workflow-permissions");
    expect(permissions.type).toBe("github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions");
    expect(permissions.inputs).toEqual({ repository: "app", defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false });
  });

  it("declares the Actions permissions, repository secrets and variables from the slice", () => {
    expect(named("repo-actions-permissions").inputs).toEqual({
      repository: "app",
      enabled: true,
      allowedActions: "selected",
      allowedActionsConfig: { githubOwnedAllowed: false, verifiedAllowed: true, patternsAlloweds: ["actions/checkout@*"] },
      shaPinningRequired: true,
    });
    expect(named("repo-secret-slack-webhook-url").inputs).toEqual({
      repository: "app",
      secretName: "SLACK_WEBHOOK_URL",
      value: "[secret]",
    });
    expect(named("repo-variable-dockerhub-username").inputs).toEqual({
      repository: "app",
      variableName: "DOCKERHUB_USERNAME",
      value: "acme",
    });
  });
});
