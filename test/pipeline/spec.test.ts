import { describe, expect, it } from "vitest";
import { githubEntries, validateStackConfig } from "../../src/config";
import {
  buildPipelineSpec,
  publishedSecrets,
  repositoryRef,
  requiredCheckNames,
  stackEnvironments,
  type PipelineSpec,
} from "../../src/pipeline";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const specOf = (stack: string, secrets?: Parameters<typeof stackWithSecrets>[1], overrides?: Record<string, string>): PipelineSpec =>
  buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack, secrets, overrides), stack)).config);

/** Every GitHub object a spec declares, by its identity in GitHub. */
function githubObjects(spec: PipelineSpec): string[] {
  const governance = spec.governance;
  return [
    ...stackEnvironments(spec).flatMap((env) => [
      `environment:${env.name}`,
      ...env.secrets.map((s) => `secret:${env.name}:${s.githubName}`),
      ...env.variables.map((v) => `variable:${env.name}:${v.githubName}`),
    ]),
    ...(governance === undefined
      ? []
      : [
          ...governance.secrets.map((s) => `secret:repo:${s.githubName}`),
          ...governance.variables.map((v) => `variable:repo:${v.githubName}`),
          ...governance.rulesets.map((r) => `ruleset:${r.name}`),
          `ruleset:${governance.tagRuleset.name}`,
          "actions-permissions",
          "workflow-permissions",
        ]),
  ];
}

/** Every variable a spec publishes, wherever to. */
const publishedVariables = (spec: PipelineSpec) =>
  [...stackEnvironments(spec), ...(spec.governance === undefined ? [] : [spec.governance])].flatMap((p) => p.variables);

describe("buildPipelineSpec", () => {
  const staging = specOf("staging");
  const production = specOf("production");

  it("gives the governing stack the repository-wide objects, and only it", () => {
    expect(staging.governance?.rulesets.map((r) => r.ref)).toEqual(["refs/heads/main", "refs/heads/develop"]);
    expect(staging.governance?.tagRuleset.ref).toBe("refs/tags/v*");
    expect(staging.governance?.actionsPermissions.shaPinningRequired).toBe(true);
    expect(staging.governance?.workflowPermissions).toEqual({ defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false });
    // No repository secret: any branch's workflow could read it.
    expect(staging.governance?.secrets).toEqual([]);
    expect(production.governance).toBeUndefined();
  });

  it("declares no GitHub object in both stacks", () => {
    const a = new Set(githubObjects(staging));
    const overlap = githubObjects(production).filter((o) => a.has(o));
    expect(overlap).toEqual([]);
  });

  it("names secrets by config key, never by value", () => {
    const text = JSON.stringify([staging, production]);
    expect(text).not.toContain("sentinel-");
    expect(staging.deployEnvironment.secrets.find((s) => s.githubName === "RAILWAY_API_TOKEN")).toEqual({
      githubName: "RAILWAY_API_TOKEN",
      configKey: "railwayToken",
    });
    expect(staging.previewEnvironment?.secrets.map((s) => s.githubName)).not.toContain("RAILWAY_API_TOKEN");
    expect(staging.driftEnvironment.secrets.map((s) => s.githubName)).not.toContain("RAILWAY_API_TOKEN");
    // The signing key stays with the program: published nowhere, read by it.
    expect(publishedSecrets(staging).map((s) => s.configKey)).not.toContain("imageSigningKey");
    expect(staging.secretsRead).toContain("imageSigningKey");
  });

  it("leaves optional secrets out when they are not set", () => {
    const spec = specOf("staging", [
      "railwayToken",
      "anthropicApiKey",
      "openaiApiKey",
      "pulumiConfigPassphrase",
      "awsAccessKeyId",
      "awsSecretAccessKey",
      "deliveryAppPrivateKey",
      "dockerhubToken",
    ]);
    expect(publishedSecrets(spec).map((s) => s.githubName)).not.toContain("SLACK_WEBHOOK_URL");
    expect(publishedSecrets(spec).map((s) => s.githubName)).not.toContain("PULUMI_ACCESS_TOKEN");
    expect(spec.secretsRead).not.toContain("slackWebhookUrl");
    expect(spec.secretsRead).not.toContain("githubToken");
  });

  it("requires the generated checks for every Python version", () => {
    const spec = specOf("staging", undefined, { pythonVersions: '["3.12","3.13"]' });
    const checks = spec.governance?.rulesets.map((r) => r.rules.requiredStatusChecks.requiredChecks);
    expect(checks).toEqual([requiredCheckNames(["3.12", "3.13"]), requiredCheckNames(["3.12", "3.13"])]);
    expect(checks?.[0]).toEqual(["pytest (3.12)", "pytest (3.13)", "lint", "docker build (no push)"]);
  });

  it("gates production by release tag, staging by the default branch", () => {
    expect(production.deployEnvironment).toMatchObject({
      deploymentPolicy: { allowed: { kind: "tag", pattern: "v*" } },
      preventSelfReview: true,
      canAdminsBypass: false,
    });
    expect(staging.deployEnvironment).toMatchObject({
      deploymentPolicy: { allowed: { kind: "branch", pattern: "main" } },
      canAdminsBypass: false,
    });
    // A pull request's head is any branch: its preview waits for a preview reviewer instead.
    expect(staging.previewEnvironment).toMatchObject({
      deploymentPolicy: undefined,
      reviewerTeams: ["release-managers"],
      preventSelfReview: true,
    });
    for (const spec of [staging, production]) {
      expect(spec.driftEnvironment).toMatchObject({
        deploymentPolicy: { allowed: { kind: "branch", pattern: "main" } },
        canAdminsBypass: false,
      });
    }
  });

  it("covers every catalog entry in one of the two stacks", () => {
    const published = new Set([...publishedSecrets(staging), ...publishedVariables(staging)].map((p) => p.githubName));
    for (const entry of githubEntries) expect(published, entry.name).toContain(entry.name);
  });

  it("publishes the Railway token under the name Railway's tools read for its kind", () => {
    const project = buildPipelineSpec(
      validateStackConfig(rawConfig(stackWithSecrets("staging", undefined, { railwayTokenKind: "project" }), "staging")).config,
    );
    const names = (spec: typeof staging) =>
      publishedSecrets(spec)
        .filter((s) => s.configKey === "railwayToken")
        .map((s) => s.githubName);
    expect(new Set(names(staging))).toEqual(new Set(["RAILWAY_API_TOKEN"]));
    expect(new Set(names(project))).toEqual(new Set(["RAILWAY_TOKEN"]));
  });
});

describe("the spec's pieces", () => {
  const config = validateStackConfig(rawConfig(stackWithSecrets("staging"), "staging")).config;
  const spec = buildPipelineSpec(config);

  it("repositoryRef splits owner and name and keeps the branches and visibility", () => {
    expect(repositoryRef({ ...config, repository: "acme/voice-app" })).toEqual({
      owner: "acme",
      name: "voice-app",
      fullName: "acme/voice-app",
      defaultBranch: config.defaultBranch,
      developBranch: config.developBranch,
      visibility: config.repositoryVisibility,
    });
  });

  it("stackEnvironments lists the deploy environment first, then the preview one when it exists, then the drift one", () => {
    expect(stackEnvironments(spec).map((e) => e.name)).toEqual(["staging", "staging-preview", "staging-drift"]);
    expect(stackEnvironments({ ...spec, previewEnvironment: undefined }).map((e) => e.name)).toEqual(["staging", "staging-drift"]);
  });

  it("publishedSecrets gathers each slice's secrets, the repository's only when the stack governs", () => {
    const all = publishedSecrets(spec).map((s) => s.githubName);
    expect(all).toContain("PREVIEW_APP_PRIVATE_KEY");
    expect(all).toContain("DELIVERY_APP_PRIVATE_KEY");
    expect(all).toContain("SLACK_WEBHOOK_URL");
    expect(all.length).toBe(
      spec.deployEnvironment.secrets.length +
        (spec.previewEnvironment?.secrets.length ?? 0) +
        spec.driftEnvironment.secrets.length +
        (spec.governance?.secrets.length ?? 0),
    );
    const repositorySecret = { githubName: "REPOSITORY_ONLY", configKey: "githubToken" } as const;
    const governing = {
      ...spec,
      governance: spec.governance === undefined ? undefined : { ...spec.governance, secrets: [repositorySecret] },
    };
    expect(publishedSecrets(governing)).toContainEqual(repositorySecret);
    expect(publishedSecrets({ ...governing, governance: undefined })).not.toContainEqual(repositorySecret);
  });

  it("reads every secret it publishes, and the program's own (the registry token), none twice", () => {
    for (const ref of publishedSecrets(spec)) expect(spec.secretsRead).toContain(ref.configKey);
    expect(spec.secretsRead).toContain("dockerhubToken");
    expect(new Set(spec.secretsRead).size).toBe(spec.secretsRead.length);
  });
});
