// The real program for the committed staging stack (the governing stack), every secret set.
// Proves what is declared and with which inputs; it does not prove GitHub accepts them.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../tools/plan/harness";
import { byType, evaluate, named } from "../helpers/program";
import { standInId } from "../../tools/plan/invokes";
import { allSentinels, fixtureSigningKey, sentinel, stackWithSecrets } from "../helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  run = await evaluate("staging", stackWithSecrets("staging"));
});

describe("staging program", () => {
  it("declares exactly the environment and the repository-wide objects", () => {
    const declared = run.resources
      .filter((r) => r.custom)
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    expect(declared).toEqual(
      [
        "pulumi:providers:github delivery-github",
        // One build per platform, the index joining them, and after a healthy deploy the signature, then the verified tag.
        "docker-build:index:Image delivery-app-image-amd64",
        "docker-build:index:Image delivery-app-image-arm64",
        "docker-build:index:Index delivery-app-index",
        "docker-build:index:Index delivery-verified-tag",
        "command:local:Command delivery-railway-deploy",
        "command:local:Command delivery-image-signature",
        "github:index/repositoryEnvironment:RepositoryEnvironment delivery-staging-environment",
        "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy delivery-staging-deployment-policy",
        ...[
          "railway-api-token",
          "anthropic-api-key",
          "openai-api-key",
          "pulumi-config-passphrase",
          "pulumi-access-token",
          "aws-access-key-id",
          "aws-secret-access-key",
          "google-credentials",
          "azure-storage-key",
          "delivery-app-private-key",
          // Notifications: an environment secret now, never a repository one a branch could read.
          "slack-webhook-url",
        ].map((s) => `github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret delivery-staging-secret-${s}`),
        ...[
          "railway-project-id",
          "railway-environment-id",
          "railway-service-id",
          "railway-domain",
          "pulumi-stack",
          "policy-pack-config",
        ].map((s) => `github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable delivery-staging-variable-${s}`),
        // The preview environment (the fixture has preview reviewers): only what `pulumi preview` needs, no deployment policy.
        "github:index/repositoryEnvironment:RepositoryEnvironment delivery-staging-preview-environment",
        // Every backend's credentials are set here (the helper sets each catalog secret), so each is published.
        ...[
          "pulumi-config-passphrase",
          "pulumi-access-token",
          "aws-access-key-id",
          "aws-secret-access-key",
          "google-credentials",
          "azure-storage-key",
          "preview-app-private-key",
        ].map((s) => `github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret delivery-staging-preview-secret-${s}`),
        "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable delivery-staging-preview-variable-pulumi-stack",
        "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable delivery-staging-preview-variable-policy-pack-config",
        // The drift environment: the default branch only, with what the drift check needs and its notification.
        "github:index/repositoryEnvironment:RepositoryEnvironment delivery-staging-drift-environment",
        "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy delivery-staging-drift-deployment-policy",
        ...[
          "pulumi-config-passphrase",
          "pulumi-access-token",
          "aws-access-key-id",
          "aws-secret-access-key",
          "google-credentials",
          "azure-storage-key",
          "preview-app-private-key",
          "slack-webhook-url",
        ].map((s) => `github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret delivery-staging-drift-secret-${s}`),
        "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable delivery-staging-drift-variable-pulumi-stack",
        "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable delivery-staging-drift-variable-policy-pack-config",
        "github:index/repositoryRuleset:RepositoryRuleset delivery-repository-protect-main",
        "github:index/repositoryRuleset:RepositoryRuleset delivery-repository-protect-develop",
        "github:index/repositoryRuleset:RepositoryRuleset delivery-repository-protect-release-tags",
        "github:index/actionsRepositoryPermissions:ActionsRepositoryPermissions delivery-repository-actions-permissions",
        "github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions delivery-repository-workflow-permissions",
        // No repository secret: a workflow on any branch could read it.
        ...["dockerhub-username", "dockerhub-repository", "pulumi-backend-url", "delivery-app-id", "preview-app-id"].map(
          (s) => `github:index/actionsVariable:ActionsVariable delivery-repository-variable-${s}`,
        ),
        ...[
          "workflows-test-yml",
          "workflows-lint-yml",
          "dependabot-yml",
          "workflows-infra-preview-yml",
          "workflows-drift-yml",
          "workflows-deploy-staging-yml",
        ].map((s) => `github:index/repositoryFile:RepositoryFile delivery-files-${s}`),
      ].sort(),
    );
  });

  // Provider inputs travel as strings, as Pulumi serializes provider configuration.
  it("configures the GitHub provider for one write at a time, with the optional token as a secret", () => {
    const provider = named(run, "delivery-github");
    expect(provider.inputs).toMatchObject({ owner: "acme", parallelRequests: "false", writeDelayMs: "1000", token: "[secret]" });
    expect(provider.secretPaths).toContain("token");
  });

  it("opens the staging environment to the default branch without approvals", () => {
    const env = named(run, "delivery-staging-environment");
    expect(env.inputs).toMatchObject({
      repository: "learning-voice-agent",
      environment: "staging",
      waitTimer: 0,
      // No admin skips the branch policy either.
      canAdminsBypass: false,
      preventSelfReview: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    expect(env.inputs["reviewers"]).toEqual([]);
    expect(named(run, "delivery-staging-deployment-policy").inputs).toMatchObject({ branchPattern: "main", environment: "staging" });
    expect(named(run, "delivery-staging-deployment-policy").inputs["tagPattern"]).toBeUndefined();
  });

  it("publishes every secret as a Pulumi secret with its own value, and nothing secret in plain inputs", () => {
    const secrets = [
      ...byType(run, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret"),
      ...byType(run, "github:index/actionsSecret:ActionsSecret"),
    ];
    // 11 in staging, 7 in staging-preview, 8 in staging-drift, none in the repository.
    expect(byType(run, "github:index/actionsSecret:ActionsSecret")).toEqual([]);
    expect(secrets).toHaveLength(26);
    for (const secret of secrets) {
      expect(secret.secretPaths, secret.name).toEqual(["value"]);
      expect(secret.inputs["value"]).toBe("[secret]");
    }
    expect(named(run, "delivery-staging-secret-railway-api-token").plainInputs["value"]).toBe(sentinel("railwayToken"));
    expect(named(run, "delivery-staging-preview-secret-preview-app-private-key").plainInputs["value"]).toBe(
      sentinel("previewAppPrivateKey"),
    );
    expect(named(run, "delivery-staging-drift-secret-slack-webhook-url").plainInputs["value"]).toBe(sentinel("slackWebhookUrl"));
    // The signing key stays with the program: no environment holds it.
    for (const secret of secrets) expect(secret.plainInputs["value"], secret.name).not.toBe(fixtureSigningKey);
    const redacted = JSON.stringify(run.resources.map((r) => r.inputs)) + JSON.stringify(run.outputs);
    for (const value of allSentinels) expect(redacted).not.toContain(value);
  });

  it("opens the preview environment to any branch, once a preview reviewer other than the pusher approves", () => {
    expect(named(run, "delivery-staging-preview-environment").inputs).toMatchObject({
      environment: "staging-preview",
      waitTimer: 0,
      // The fixture's previewReviewerTeams, looked up by slug.
      reviewers: [{ teams: [standInId("team:release-managers")], users: [] }],
      preventSelfReview: true,
      canAdminsBypass: false,
    });
    expect(named(run, "delivery-staging-preview-environment").inputs["deploymentBranchPolicy"]).toBeUndefined();
    expect(run.resources.filter((r) => r.type.includes("DeploymentPolicy")).map((r) => r.name)).toEqual([
      "delivery-staging-deployment-policy",
      "delivery-staging-drift-deployment-policy",
    ]);
  });

  it("opens the drift environment to the default branch only, without approvals", () => {
    expect(named(run, "delivery-staging-drift-environment").inputs).toMatchObject({
      environment: "staging-drift",
      waitTimer: 0,
      reviewers: [],
      preventSelfReview: false,
      canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    expect(named(run, "delivery-staging-drift-deployment-policy").inputs).toMatchObject({
      branchPattern: "main",
      environment: "staging-drift",
    });
    expect(named(run, "delivery-staging-drift-deployment-policy").inputs["tagPattern"]).toBeUndefined();
  });

  it("lets only the delivery App and admins create, move or delete release tags", () => {
    expect(named(run, "delivery-repository-protect-release-tags").inputs).toEqual({
      repository: "learning-voice-agent",
      name: "protect-release-tags",
      target: "tag",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/tags/v*"], excludes: [] } },
      bypassActors: [
        { actorType: "Integration", actorId: 1234567, bypassMode: "always" },
        { actorType: "RepositoryRole", actorId: 5, bypassMode: "always" },
      ],
      rules: { creation: true, update: true, deletion: true, nonFastForward: true },
    });
  });

  it("starts Actions' own token read-only, and lets no workflow approve a pull request", () => {
    expect(named(run, "delivery-repository-workflow-permissions").inputs).toEqual({
      repository: "learning-voice-agent",
      defaultWorkflowPermissions: "read",
      canApprovePullRequestReviews: false,
    });
  });

  it("publishes the environment's and the repository's variables from config", () => {
    const values: Record<string, unknown> = Object.fromEntries(
      [
        ...byType(run, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable").filter(
          (v) => v.inputs["environment"] === "staging",
        ),
        ...byType(run, "github:index/actionsVariable:ActionsVariable"),
      ].map((v) => [String(v.inputs["variableName"]), v.inputs["value"]]),
    );
    expect(values).toEqual({
      RAILWAY_PROJECT_ID: "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
      RAILWAY_ENVIRONMENT_ID: "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
      RAILWAY_SERVICE_ID: "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b",
      RAILWAY_DOMAIN: "learning-voice-agent-staging.up.railway.app",
      PULUMI_STACK: "staging",
      // The policy pack's settings for this stack (src/policies/packConfig.ts): ids and names, no secret.
      POLICY_PACK_CONFIG: JSON.stringify({
        "branch-rulesets-protective": { deliveryAppId: 1234567 },
        "release-tags-protected": { deliveryAppId: 1234567 },
        "image-every-platform": { platforms: ["linux/amd64", "linux/arm64"] },
        "production-environment-gated": { reviewersAllowed: true },
      }),
      DOCKERHUB_USERNAME: "acmebot",
      DOCKERHUB_REPOSITORY: "acme/learning-voice-agent",
      PULUMI_BACKEND_URL: "s3://acme-pulumi-state?region=eu-central-1",
      DELIVERY_APP_ID: "1234567",
      PREVIEW_APP_ID: "7654321",
    });
  });

  it("protects main and develop with reviews, the generated checks, no force push and no deletion", () => {
    for (const branch of ["main", "develop"]) {
      const ruleset = named(run, `delivery-repository-protect-${branch}`);
      expect(ruleset.inputs).toMatchObject({
        target: "branch",
        enforcement: "active",
        conditions: { refName: { includes: [`refs/heads/${branch}`], excludes: [] } },
        bypassActors: [{ actorType: "Integration", actorId: 1234567, bypassMode: "always" }],
        rules: {
          deletion: true,
          nonFastForward: true,
          pullRequest: { requiredApprovingReviewCount: 1, dismissStaleReviewsOnPush: true },
          requiredStatusChecks: {
            requiredChecks: [
              { context: "pytest (3.11)" },
              { context: "pytest (3.12)" },
              { context: "lint" },
              { context: "docker build (no push)" },
            ],
          },
        },
      });
    }
  });

  it("requires SHA pinning and allows only the actions the workflows run", () => {
    expect(named(run, "delivery-repository-actions-permissions").inputs).toEqual({
      repository: "learning-voice-agent",
      enabled: true,
      allowedActions: "selected",
      shaPinningRequired: true,
      allowedActionsConfig: {
        githubOwnedAllowed: false,
        verifiedAllowed: false,
        // What the workflows run (Codecov is off here: the fixture sets no codecovUpload, so neither its action nor
        // what it runs inside is allowed); actions/cache and docker/login-action are pinned but run by nothing either.
        patternsAlloweds: [
          "actions/checkout@*",
          "actions/create-github-app-token@*",
          "actions/setup-node@*",
          "actions/setup-python@*",
          "actions/upload-artifact@*",
          "docker/setup-buildx-action@*",
          "docker/setup-qemu-action@*",
          "pulumi/actions@*",
          "slackapi/slack-github-action@*",
        ],
      },
    });
  });

  it("parents every resource under the pipeline component and uses the explicit provider", () => {
    const components = run.resources.filter((r) => !r.custom).map((r) => `${r.type} ${r.name}`);
    expect(components.sort()).toEqual([
      "delivery:docker:AppImage delivery-app",
      "delivery:github:DeploymentEnvironment delivery-staging",
      "delivery:github:DeploymentEnvironment delivery-staging-drift",
      "delivery:github:DeploymentEnvironment delivery-staging-preview",
      "delivery:github:GeneratedFiles delivery-files",
      "delivery:github:RepositoryGovernance delivery-repository",
      "delivery:index:DeliveryPipeline delivery",
      "delivery:railway:RailwayDeploy delivery-railway",
    ]);
    // The provider is the stack's own (the entrypoint asks it for the revision before the pipeline exists).
    for (const r of run.resources.filter((x) => x.custom && x.name !== "delivery-github")) expect(r.parent, r.name).toContain("delivery");
  });

  it("commits the generated files one at a time, after the environment and governance, without starting runs", () => {
    const files = byType(run, "github:index/repositoryFile:RepositoryFile");
    expect(files.map((f) => f.inputs["file"])).toEqual([
      ".github/workflows/test.yml",
      ".github/workflows/lint.yml",
      ".github/dependabot.yml",
      ".github/workflows/infra-preview.yml",
      ".github/workflows/drift.yml",
      ".github/workflows/deploy-staging.yml",
    ]);
    files.forEach((file, i) => {
      expect(file.inputs).toMatchObject({ repository: "learning-voice-agent", branch: "main", overwriteOnCreate: true });
      expect(String(file.inputs["commitMessage"])).toContain("[skip ci]");
      expect(file.secretPaths).toEqual([]);
      const previous = files[i - 1];
      if (previous !== undefined)
        expect(
          file.dependencies.some((d) => d.endsWith(`::${previous.name}`)),
          file.name,
        ).toBe(true);
    });
    // The first commit waits for the environment's secrets and the rulesets (components expand to their children).
    const first = files[0]?.dependencies ?? [];
    expect(first.some((d) => d.endsWith("::delivery-staging-secret-railway-api-token"))).toBe(true);
    expect(first.some((d) => d.endsWith("::delivery-repository-protect-main"))).toBe(true);
    expect(first.some((d) => d.endsWith("::delivery-staging-preview-secret-pulumi-config-passphrase"))).toBe(true);
    expect(first.some((d) => d.endsWith("::delivery-staging-drift-secret-pulumi-config-passphrase"))).toBe(true);
    expect(first.some((d) => d.endsWith("::delivery-repository-protect-release-tags"))).toBe(true);
  });

  it("exports the environment, and no secret", () => {
    expect(run.outputs).toMatchObject({
      environmentName: "staging",
      environmentUrl: "https://learning-voice-agent-staging.up.railway.app",
      repository: "acme/learning-voice-agent",
      governsRepository: true,
    });
    expect(run.secretOutputs).toEqual([]);
  });
});
