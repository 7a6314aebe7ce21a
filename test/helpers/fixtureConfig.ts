/**
 * Stack settings these tests own: another owner, repository, Docker Hub
 * account and Railway ids than the committed examples, so a user editing
 * stacks/ cannot break them.
 */
import { projectName, requiredSecrets, toRawStackConfig, type RawStackConfig } from "../../src/config";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StackSettings } from "../../src/config/stackFiles";

const shared = {
  repository: "zephyr-labs/tutor-api",
  repositoryVisibility: "public",
  githubPlan: "team",
  deliveryAppId: "424242",
  previewAppId: "434343",
  dockerhubUsername: "zephyrci",
  dockerhubRepository: "zephyrlabs/tutor-api",
  railwayProjectId: "11111111-2222-4333-8444-555555555555",
  railwayServiceId: "66666666-7777-4888-8999-aaaaaaaaaaaa",
  stateBackendUrl: "s3://zephyr-state?region=eu-central-1",
  // The tests' own signing key pair (test/fixtures/signing/).
  imageSigningPublicKey: readFileSync(join(__dirname, "..", "fixtures", "signing", "image-signing.pub"), "utf8"),
};

export const fixtureValues: Record<"staging" | "production", Record<string, string>> = {
  staging: {
    ...shared,
    governsRepository: "true",
    railwayEnvironmentId: "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff",
    railwayDomain: "tutor-api-staging.up.railway.app",
  },
  production: {
    ...shared,
    governsRepository: "false",
    reviewerUsers: '["maintainer-one"]',
    waitTimerMinutes: "10",
    railwayEnvironmentId: "12121212-3434-4565-8787-909090909090",
    railwayDomain: "tutor-api.up.railway.app",
  },
};

/** Fully qualified settings, every required secret set, plus `extra` (fully qualified keys) as given. */
export function fixtureSettings(
  stack: "staging" | "production",
  overrides: Record<string, string> = {},
  extra: Record<string, string> = {},
): StackSettings {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...fixtureValues[stack], ...overrides })) config[`${projectName}:${key}`] = value;
  const values = { ...fixtureValues[stack], ...overrides };
  const secretKeys = requiredSecrets(values.stateBackendUrl, {
    signsImages: stack === "staging" && values.deployImage === undefined,
  }).map((k) => `${projectName}:${k}`);
  for (const key of secretKeys) config[key] = "[secret]";
  return { config: { ...config, ...extra }, secretKeys };
}

export function fixtureRaw(
  stack: "staging" | "production",
  overrides: Record<string, string> = {},
  extra: Record<string, string> = {},
): RawStackConfig {
  const settings = fixtureSettings(stack, overrides, extra);
  return toRawStackConfig(stack, settings.config, (k) => settings.secretKeys.includes(k));
}

/** Writes stacks/Pulumi.<stack>.yaml as a user would (values in YAML, no secrets) into `dir`. */
export function writeFixtureStackFile(dir: string, stack: "staging" | "production", overrides: Record<string, string> = {}): void {
  const lines = [`# fixture stack ${stack}`, "config:"];
  for (const [key, value] of Object.entries({ ...fixtureValues[stack], ...overrides }))
    lines.push(`  ${projectName}:${key}: ${JSON.stringify(value)}`);
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), lines.join("\n") + "\n");
}

/** The fixture's other stack, as validation receives it. */
export function withSibling(raw: RawStackConfig, siblingOverrides: Record<string, string> = {}): RawStackConfig {
  const other = raw.stack === "staging" ? "production" : "staging";
  return { ...raw, sibling: fixtureRaw(other, siblingOverrides) };
}
