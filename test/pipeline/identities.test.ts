// Which environment each credential is published to: the pure rule, and the specs it gives both stacks.
import { describe, expect, it } from "vitest";
import { allGithubEntries, secretKeys, validateStackConfig, type GithubEntry, type SecretKey } from "../../src/config";
import { buildPipelineSpec, entryEnvironments, type PipelineSpec } from "../../src/pipeline";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const specOf = (stack: string, secrets: readonly SecretKey[] = secretKeys, overrides?: Record<string, string>): PipelineSpec =>
  buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack, secrets, overrides), stack)).config);

/** `<environment>/<GitHub name>` → the config key it is read from. */
const placed = (spec: PipelineSpec): Record<string, SecretKey> =>
  Object.fromEntries(
    [spec.deployEnvironment, spec.previewEnvironment].flatMap((env) =>
      env.secrets.map((s) => [`${env.name}/${s.githubName}`, s.configKey]),
    ),
  );

const withoutReadOnlyState = secretKeys.filter(
  (k) => k !== "awsPreviewAccessKeyId" && k !== "awsPreviewSecretAccessKey" && k !== "pulumiPreviewAccessToken",
);

describe("entryEnvironments", () => {
  const entry = (over: Partial<GithubEntry>): GithubEntry => ({
    name: "X",
    kind: "secret",
    scope: "environment",
    source: { configKey: "awsAccessKeyId" },
    consumers: [],
    replaces: [],
    ...over,
  });
  const shared = entry({ preview: true });
  const readOnly = entry({ preview: "only", source: { configKey: "awsPreviewAccessKeyId" } });
  const entries = [shared, readOnly];
  it("deploy-only, preview-only and shared entries go where they say", () => {
    expect(entryEnvironments(entry({}), "staging", entries, () => true)).toEqual(["staging"]);
    expect(entryEnvironments(readOnly, "staging", entries, () => true)).toEqual(["staging-preview"]);
    expect(entryEnvironments(entry({ scope: "repository" }), "staging", entries, () => true)).toEqual([undefined]);
  });
  it("a shared entry leaves the preview environment to a preview-only entry of its name, only when that one is set", () => {
    expect(entryEnvironments(shared, "staging", entries, () => true)).toEqual(["staging"]);
    expect(entryEnvironments(shared, "staging", entries, (k) => k !== "awsPreviewAccessKeyId")).toEqual(["staging", "staging-preview"]);
    expect(entryEnvironments(shared, "staging", [shared, { ...readOnly, name: "Y" }], () => true)).toEqual(["staging", "staging-preview"]);
  });
});

describe("the catalog's identities", () => {
  it("marks the read-only App's key and the read-only state credentials preview-only, the delivery App's key deploy-only", () => {
    const previewOnly = allGithubEntries
      .filter((e) => e.preview === "only")
      .map((e) => ("configKey" in e.source ? e.source.configKey : ""));
    expect(previewOnly.sort()).toEqual([
      "awsPreviewAccessKeyId",
      "awsPreviewSecretAccessKey",
      "previewAppPrivateKey",
      "pulumiPreviewAccessToken",
    ]);
    expect(allGithubEntries.find((e) => e.name === "DELIVERY_APP_PRIVATE_KEY")?.preview).toBeUndefined();
  });
});

describe.each(["staging", "production"])("%s's spec", (stack) => {
  const preview = `${stack}-preview`;
  it("publishes the read-only App's key only to the preview environment, the delivery App's only to the deploy environment", () => {
    const secrets = placed(specOf(stack));
    expect(secrets[`${preview}/PREVIEW_APP_PRIVATE_KEY`]).toBe("previewAppPrivateKey");
    expect(secrets).not.toHaveProperty(`${stack}/PREVIEW_APP_PRIVATE_KEY`);
    expect(secrets[`${stack}/DELIVERY_APP_PRIVATE_KEY`]).toBe("deliveryAppPrivateKey");
    expect(secrets).not.toHaveProperty(`${preview}/DELIVERY_APP_PRIVATE_KEY`);
  });

  it("gives previews the read-only S3 keys when set, the deploy keys otherwise", () => {
    const readOnly = placed(specOf(stack));
    expect([readOnly[`${preview}/AWS_ACCESS_KEY_ID`], readOnly[`${preview}/AWS_SECRET_ACCESS_KEY`]]).toEqual([
      "awsPreviewAccessKeyId",
      "awsPreviewSecretAccessKey",
    ]);
    expect([readOnly[`${stack}/AWS_ACCESS_KEY_ID`], readOnly[`${stack}/AWS_SECRET_ACCESS_KEY`]]).toEqual([
      "awsAccessKeyId",
      "awsSecretAccessKey",
    ]);
    const fallback = placed(specOf(stack, withoutReadOnlyState));
    expect([fallback[`${preview}/AWS_ACCESS_KEY_ID`], fallback[`${preview}/AWS_SECRET_ACCESS_KEY`]]).toEqual([
      "awsAccessKeyId",
      "awsSecretAccessKey",
    ]);
  });

  it("gives previews the read-only Pulumi Cloud token when set, the deploy token otherwise", () => {
    const cloud = { stateBackendUrl: "https://api.pulumi.com" };
    expect(placed(specOf(stack, secretKeys, cloud))[`${preview}/PULUMI_ACCESS_TOKEN`]).toBe("pulumiPreviewAccessToken");
    expect(placed(specOf(stack, secretKeys, cloud))[`${stack}/PULUMI_ACCESS_TOKEN`]).toBe("pulumiAccessToken");
    expect(placed(specOf(stack, withoutReadOnlyState, cloud))[`${preview}/PULUMI_ACCESS_TOKEN`]).toBe("pulumiAccessToken");
  });

  it("declares each GitHub secret of an environment once, whichever secrets are set", () => {
    for (const secrets of [secretKeys, withoutReadOnlyState]) {
      const spec = specOf(stack, secrets);
      const ids = [spec.deployEnvironment, spec.previewEnvironment].flatMap((env) => env.secrets.map((s) => `${env.name}/${s.githubName}`));
      expect(ids.length).toBe(new Set(ids).size);
    }
  });
});

describe("read-only S3 keys come in pairs", () => {
  it("reports the other half missing when only one is set", () => {
    const one = secretKeys.filter((k) => k !== "awsPreviewSecretAccessKey");
    expect(validateStackConfig(rawConfig(stackWithSecrets("staging", one), "staging")).missingSecrets).toEqual([
      "awsPreviewSecretAccessKey",
    ]);
    expect(validateStackConfig(rawConfig(stackWithSecrets("staging", withoutReadOnlyState), "staging")).missingSecrets).toEqual([]);
  });
});
