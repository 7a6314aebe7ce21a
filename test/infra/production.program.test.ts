// The real program for the committed production stack: its environment only, gated by reviewers.
import { beforeAll, describe, expect, it } from "vitest";
import { secretKeys } from "../../src/config";
import type { ProgramRun } from "../../tools/plan/harness";
import { standInId } from "../../tools/plan/invokes";
import { evaluate, named } from "../helpers/program";
import { stackWithSecrets } from "../helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  // Optional secrets left unset: their GitHub secrets must simply not exist. Production signs nothing: no signing key.
  const set = secretKeys.filter(
    (k) =>
      k !== "imageSigningKey" &&
      k !== "slackWebhookUrl" &&
      k !== "githubToken" &&
      k !== "pulumiAccessToken" &&
      k !== "pulumiPreviewAccessToken",
  );
  run = await evaluate("production", stackWithSecrets("production", set));
});

describe("production program", () => {
  it("declares only its own environment, its secrets and variables: nothing repository-wide", () => {
    const types = new Set(run.resources.filter((r) => r.custom).map((r) => r.type));
    expect([...types].sort()).toEqual([
      "command:local:Command",
      // Nothing is built: the version tag on the digest staging verified (the registry is read through its own provider).
      "docker-build:index:Index",
      "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
      "github:index/repositoryEnvironment:RepositoryEnvironment",
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
      "github:index/repositoryFile:RepositoryFile",
      "pulumi:providers:docker",
      "pulumi:providers:github",
    ]);
    const secretNames = run.resources
      .filter((r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret")
      .map((r) => `${String(r.inputs["environment"])}/${String(r.inputs["secretName"])}`)
      .sort();
    expect(secretNames).toEqual(
      [
        ...[
          "RAILWAY_API_TOKEN",
          "ANTHROPIC_API_KEY",
          "OPENAI_API_KEY",
          "PULUMI_CONFIG_PASSPHRASE",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          "GOOGLE_CREDENTIALS",
          "AZURE_STORAGE_KEY",
          "DELIVERY_APP_PRIVATE_KEY",
        ].map((n) => `production/${n}`),
        // The preview and drift environments get only what `pulumi preview` needs: no Railway token, no API keys, no
        // delivery App key; the read-only App's key only there, and the read-only S3 keys in place of the deploy ones.
        // The other backends' credentials are set here too (the helper sets them), so they are published as well.
        ...["production-preview", "production-plan", "production-drift"].flatMap((environment) =>
          [
            "PULUMI_CONFIG_PASSPHRASE",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "GOOGLE_CREDENTIALS",
            "AZURE_STORAGE_KEY",
            "PREVIEW_APP_PRIVATE_KEY",
          ].map((n) => `${environment}/${n}`),
        ),
      ].sort(),
    );
  });

  it("commits only its own deploy workflow", () => {
    expect(run.resources.filter((r) => r.type === "github:index/repositoryFile:RepositoryFile").map((r) => r.inputs["file"])).toEqual([
      ".github/workflows/deploy-production.yml",
    ]);
  });

  it("gates production: reviewers by id, wait timer, no self-review, no admin bypass, release tags only", () => {
    expect(named(run, "delivery-production-environment").inputs).toMatchObject({
      environment: "production",
      reviewers: [{ users: [standInId("user:octocat")], teams: [standInId("team:release-managers")] }],
      waitTimer: 5,
      preventSelfReview: true,
      canAdminsBypass: false,
    });
    expect(named(run, "delivery-production-deployment-policy").inputs).toMatchObject({ tagPattern: "v*", environment: "production" });
    expect(named(run, "delivery-production-deployment-policy").inputs["branchPattern"]).toBeUndefined();
  });

  it("gates its preview environment by the preview reviewers, and opens its drift environment to the default branch only", () => {
    expect(named(run, "delivery-production-preview-environment").inputs).toMatchObject({
      environment: "production-preview",
      reviewers: [{ users: [], teams: [standInId("team:release-managers")] }],
      waitTimer: 0,
      preventSelfReview: true,
      canAdminsBypass: false,
    });
    expect(named(run, "delivery-production-preview-environment").inputs["deploymentBranchPolicy"]).toBeUndefined();
    expect(named(run, "delivery-production-drift-environment").inputs).toMatchObject({
      environment: "production-drift",
      reviewers: [],
      canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    expect(named(run, "delivery-production-drift-deployment-policy").inputs).toMatchObject({
      branchPattern: "main",
      environment: "production-drift",
    });
  });

  it("opens its plan environment to release tags only, with no reviewer of its own and no admin bypass", () => {
    expect(named(run, "delivery-production-plan-environment").inputs).toMatchObject({
      environment: "production-plan",
      reviewers: [],
      waitTimer: 0,
      canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    expect(named(run, "delivery-production-plan-deployment-policy").inputs).toMatchObject({
      tagPattern: "v*",
      environment: "production-plan",
    });
    // The read-only App's key, never the delivery App's, and no Railway token or app secret.
    const planSecrets = run.resources
      .filter(
        (r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret" && r.inputs["environment"] === "production-plan",
      )
      .map((r) => String(r.inputs["secretName"]));
    expect(planSecrets).toContain("PREVIEW_APP_PRIVATE_KEY");
    for (const name of ["DELIVERY_APP_PRIVATE_KEY", "RAILWAY_API_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "SLACK_WEBHOOK_URL"])
      expect(planSecrets).not.toContain(name);
  });

  it("looks reviewers up by login and slug through the explicit provider", () => {
    const lookups = run.invokes.filter((i) => i.token.includes("getUser") || i.token.includes("getTeam"));
    // The deploy environment's reviewers, then the preview environment's (the same team, looked up for each).
    expect(lookups.map((i) => [i.token, i.inputs["username"] ?? i.inputs["slug"]])).toEqual([
      ["github:index/getUser:getUser", "octocat"],
      ["github:index/getTeam:getTeam", "release-managers"],
      ["github:index/getTeam:getTeam", "release-managers"],
    ]);
  });

  it("reads the provider token from GITHUB_TOKEN when githubToken is not set", () => {
    expect(named(run, "delivery-github").inputs["token"]).toBeUndefined();
  });

  it("exports its environment and does not govern the repository", () => {
    expect(run.outputs).toMatchObject({
      environmentName: "production",
      environmentUrl: "https://learning-voice-agent.up.railway.app",
      governsRepository: false,
    });
  });
});
