// Where a stack publishes each GitHub secret and variable: the pure pieces the spec's slices are built from.
import { describe, expect, it } from "vitest";
import { validateStackConfig, type GithubEntry, type SecretKey } from "../../src/config";
import { policyPackConfig } from "../../src/policies/packConfig";
import { publishedTo, secretsNeeded, secretsRead, variableValue } from "../../src/pipeline";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const configOf = (stack: string, secrets?: readonly SecretKey[]) =>
  validateStackConfig(rawConfig(stackWithSecrets(stack, secrets), stack)).config;
const names = (entries: readonly { githubName: string }[]) => entries.map((e) => e.githubName);
const minimal: readonly SecretKey[] = ["railwayToken", "anthropicApiKey", "openaiApiKey", "pulumiConfigPassphrase", "dockerhubToken"];

describe("secretsNeeded", () => {
  it("holds what the backend requires and the optional secrets that are set, nothing unset", () => {
    const withSlack = secretsNeeded(configOf("staging", [...minimal, "slackWebhookUrl"]));
    expect(withSlack.has("slackWebhookUrl")).toBe(true);
    expect(withSlack.has("githubToken")).toBe(false);
    // Required by the fixture's S3 backend even when not set: validation reports it, the spec still names it.
    const bare = secretsNeeded(configOf("staging", minimal));
    expect(bare.has("awsAccessKeyId")).toBe(true);
    expect(bare.has("slackWebhookUrl")).toBe(false);
  });
});

describe("publishedTo", () => {
  const staging = configOf("staging");
  const needed = secretsNeeded(staging);

  it("gives the deploy environment its deploy credentials and Railway ids, not the repository's entries", () => {
    const deploy = publishedTo("staging", staging, needed);
    expect(names(deploy.secrets)).toContain("RAILWAY_API_TOKEN");
    expect(names(deploy.secrets)).toContain("DELIVERY_APP_PRIVATE_KEY");
    expect(names(deploy.secrets)).toContain("SLACK_WEBHOOK_URL");
    expect(names(deploy.secrets)).not.toContain("PREVIEW_APP_PRIVATE_KEY");
    expect(names(deploy.variables)).not.toContain("DOCKERHUB_USERNAME");
    expect(deploy.variables).toContainEqual({ githubName: "PULUMI_STACK", value: "staging" });
    expect(names(deploy.variables)).toContain("RAILWAY_PROJECT_ID");
  });

  it("gives the repository (undefined) only repository-scoped entries: variables, and no secret a branch could read", () => {
    const repository = publishedTo(undefined, staging, needed);
    expect(repository.secrets).toEqual([]);
    expect(names(repository.variables)).toEqual([
      "DOCKERHUB_USERNAME",
      "DOCKERHUB_REPOSITORY",
      "PULUMI_BACKEND_URL",
      "DELIVERY_APP_ID",
      "PREVIEW_APP_ID",
    ]);
  });

  it("gives the drift environment what a drift check needs and its notification, the preview environment no notification", () => {
    const drift = publishedTo("staging-drift", staging, needed);
    expect(names(drift.secrets)).toContain("PREVIEW_APP_PRIVATE_KEY");
    expect(names(drift.secrets)).toContain("SLACK_WEBHOOK_URL");
    expect(names(drift.secrets)).not.toContain("DELIVERY_APP_PRIVATE_KEY");
    expect(names(drift.secrets)).not.toContain("RAILWAY_API_TOKEN");
    expect(drift.variables).toContainEqual({ githubName: "PULUMI_STACK", value: "staging" });
    const preview = publishedTo("staging-preview", staging, needed);
    expect(names(preview.secrets)).not.toContain("SLACK_WEBHOOK_URL");
    expect(names(preview.secrets).sort()).toEqual(
      names(drift.secrets)
        .filter((n) => n !== "SLACK_WEBHOOK_URL")
        .sort(),
    );
  });

  it("leaves out a secret that is not needed, and publishes nothing to a place the stack does not own", () => {
    const unneeded = new Set([...needed].filter((k) => k !== "slackWebhookUrl"));
    expect(names(publishedTo("staging", staging, unneeded).secrets)).not.toContain("SLACK_WEBHOOK_URL");
    expect(names(publishedTo("staging-drift", staging, unneeded).secrets)).not.toContain("SLACK_WEBHOOK_URL");
    expect(publishedTo("production", staging, needed)).toEqual({ secrets: [], variables: [] });
    expect(publishedTo("production-drift", staging, needed)).toEqual({ secrets: [], variables: [] });
  });

  it("publishes nothing to a preview environment the stack does not have (no preview reviewers)", () => {
    const withoutPreview = validateStackConfig(
      rawConfig(stackWithSecrets("staging", undefined, { previewReviewerTeams: "[]" }), "staging"),
    ).config;
    expect(publishedTo("staging-preview", withoutPreview, secretsNeeded(withoutPreview))).toEqual({ secrets: [], variables: [] });
    expect(names(publishedTo("staging-drift", withoutPreview, secretsNeeded(withoutPreview)).secrets)).toContain("PREVIEW_APP_PRIVATE_KEY");
  });

  it("names each secret by its config key, never by value", () => {
    const deploy = publishedTo("staging", staging, needed);
    expect(deploy.secrets.find((s) => s.githubName === "RAILWAY_API_TOKEN")).toEqual({
      githubName: "RAILWAY_API_TOKEN",
      configKey: "railwayToken",
    });
    expect(JSON.stringify(deploy)).not.toContain("sentinel-");
  });
});

describe("variableValue", () => {
  const config = configOf("production");
  const variable = (source: GithubEntry["source"]): GithubEntry => ({
    name: "X",
    kind: "variable",
    scope: "environment",
    source,
    consumers: [],
    replaces: [],
  });
  it("derives the stack name and the policy pack config, and reads plain settings", () => {
    expect(variableValue(variable({ derived: "stackName" }), config)).toBe("production");
    expect(JSON.parse(variableValue(variable({ derived: "policyPackConfig" }), config) ?? "")).toEqual(policyPackConfig(config));
    expect(variableValue(variable({ configKey: "waitTimerMinutes" }), config)).toBe(String(config.waitTimerMinutes));
  });
  it("gives no value for a setting that is a list, not a plain value", () => {
    expect(variableValue(variable({ configKey: "reviewerUsers" }), config)).toBeUndefined();
  });
});

describe("secretsRead", () => {
  it("reads what is published and what the program itself uses, and no other needed secret", () => {
    const needed = new Set<SecretKey>(["imageSigningKey", "dockerhubToken", "slackWebhookUrl", "previewAppPrivateKey"]);
    // The signing key the program uses (it signs), Slack's webhook because it is published; the preview key is neither here.
    expect(secretsRead([{ githubName: "SLACK_WEBHOOK_URL", configKey: "slackWebhookUrl" }], needed)).toEqual([
      "dockerhubToken",
      "imageSigningKey",
      "slackWebhookUrl",
    ]);
  });
});
