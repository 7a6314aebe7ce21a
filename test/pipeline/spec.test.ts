import { describe, expect, it } from "vitest";
import { githubEntries, validateStackConfig } from "../../src/config";
import { buildPipelineSpec, requiredCheckNames, type PipelineSpec } from "../../src/pipeline";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const specOf = (stack: string, secrets?: Parameters<typeof stackWithSecrets>[1], overrides?: Record<string, string>): PipelineSpec =>
  buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack, secrets, overrides), stack)).config);

/** Every GitHub object a spec declares, by its identity in GitHub. */
function githubObjects(spec: PipelineSpec): string[] {
  return [
    `environment:${spec.environment.name}`,
    `environment:${spec.previewEnvironment.name}`,
    ...spec.secrets.map((s) => `secret:${s.environment ?? "repo"}:${s.githubName}`),
    ...spec.variables.map((v) => `variable:${v.environment ?? "repo"}:${v.githubName}`),
    ...spec.rulesets.map((r) => `ruleset:${r.name}`),
    ...(spec.actionsPermissions === undefined ? [] : ["actions-permissions"]),
  ];
}

describe("buildPipelineSpec", () => {
  const staging = specOf("staging");
  const production = specOf("production");

  it("gives the governing stack the repository-wide objects, and only it", () => {
    expect(staging.rulesets.map((r) => r.branch)).toEqual(["main", "develop"]);
    expect(staging.actionsPermissions?.shaPinningRequired).toBe(true);
    expect(production.rulesets).toEqual([]);
    expect(production.actionsPermissions).toBeUndefined();
    expect(production.secrets.every((s) => s.scope === "environment")).toBe(true);
    expect(production.variables.every((v) => v.scope === "environment")).toBe(true);
  });

  it("declares no GitHub object in both stacks", () => {
    const a = new Set(githubObjects(staging));
    const overlap = githubObjects(production).filter((o) => a.has(o));
    expect(overlap).toEqual([]);
  });

  it("names secrets by config key, never by value", () => {
    const text = JSON.stringify([staging, production]);
    expect(text).not.toContain("sentinel-");
    expect(staging.secrets.find((s) => s.githubName === "RAILWAY_API_TOKEN")).toEqual({
      githubName: "RAILWAY_API_TOKEN",
      scope: "environment",
      environment: "staging",
      configKey: "railwayToken",
    });
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
    expect(spec.secrets.map((s) => s.githubName)).not.toContain("CODECOV_TOKEN");
    expect(spec.secrets.map((s) => s.githubName)).not.toContain("SLACK_WEBHOOK_URL");
  });

  it("requires the generated checks for every Python version", () => {
    const spec = specOf("staging", undefined, { pythonVersions: '["3.12","3.13"]' });
    expect(spec.rulesets[0]?.requiredChecks).toEqual(requiredCheckNames(["3.12", "3.13"]));
    expect(spec.rulesets[0]?.requiredChecks).toEqual(["pytest (3.12)", "pytest (3.13)", "lint", "docker build (no push)"]);
  });

  it("gates production by release tag, staging by the default branch", () => {
    expect(production.environment).toMatchObject({
      deploymentPolicy: { kind: "tag", pattern: "v*" },
      preventSelfReview: true,
      canAdminsBypass: false,
    });
    expect(staging.environment).toMatchObject({ deploymentPolicy: { kind: "branch", pattern: "main" }, canAdminsBypass: true });
  });

  it("covers every catalog entry in one of the two stacks", () => {
    const published = new Set([...staging.secrets.map((s) => s.githubName), ...staging.variables.map((v) => v.githubName)]);
    for (const entry of githubEntries) expect(published, entry.name).toContain(entry.name);
  });

  it("publishes the Railway token under the name Railway's tools read for its kind", () => {
    const project = buildPipelineSpec(
      validateStackConfig(rawConfig(stackWithSecrets("staging", undefined, { railwayTokenKind: "project" }), "staging")).config,
    );
    const names = (spec: typeof staging) => spec.secrets.filter((s) => s.configKey === "railwayToken").map((s) => s.githubName);
    expect(new Set(names(staging))).toEqual(new Set(["RAILWAY_API_TOKEN"]));
    expect(new Set(names(project))).toEqual(new Set(["RAILWAY_TOKEN"]));
  });
});
