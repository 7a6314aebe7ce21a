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
    const withCodecov = secretsNeeded(configOf("staging", [...minimal, "codecovToken"]));
    expect(withCodecov.has("codecovToken")).toBe(true);
    expect(withCodecov.has("slackWebhookUrl")).toBe(false);
    // Required by the fixture's S3 backend even when not set: validation reports it, the spec still names it.
    const bare = secretsNeeded(configOf("staging", minimal));
    expect(bare.has("awsAccessKeyId")).toBe(true);
    expect(bare.has("codecovToken")).toBe(false);
  });
});

describe("publishedTo", () => {
  const staging = configOf("staging");
  const needed = secretsNeeded(staging);

  it("gives the deploy environment its deploy credentials and Railway ids, not the repository's entries", () => {
    const deploy = publishedTo("staging", staging, needed);
    expect(names(deploy.secrets)).toContain("RAILWAY_API_TOKEN");
    expect(names(deploy.secrets)).toContain("DELIVERY_APP_PRIVATE_KEY");
    expect(names(deploy.secrets)).not.toContain("CODECOV_TOKEN");
    expect(deploy.variables).toContainEqual({ githubName: "PULUMI_STACK", value: "staging" });
    expect(names(deploy.variables)).toContain("RAILWAY_PROJECT_ID");
  });

  it("gives the repository (undefined) only repository-scoped entries", () => {
    const repository = publishedTo(undefined, staging, needed);
    expect(names(repository.secrets)).toEqual(["CODECOV_TOKEN", "SLACK_WEBHOOK_URL"]);
    expect(names(repository.variables)).toContain("DOCKERHUB_USERNAME");
    expect(names(repository.variables)).not.toContain("PULUMI_STACK");
  });

  it("leaves out a secret that is not needed, and publishes nothing to a place the stack does not own", () => {
    const without = publishedTo(undefined, staging, new Set([...needed].filter((k) => k !== "codecovToken")));
    expect(names(without.secrets)).toEqual(["SLACK_WEBHOOK_URL"]);
    expect(publishedTo("production", staging, needed)).toEqual({ secrets: [], variables: [] });
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
    const needed = new Set<SecretKey>(["codecovToken", "dockerhubToken", "slackWebhookUrl"]);
    expect(secretsRead([{ githubName: "CODECOV_TOKEN", configKey: "codecovToken" }], needed)).toEqual(["dockerhubToken", "codecovToken"]);
  });
});
