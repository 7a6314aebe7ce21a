/** Test helpers: the committed stack files, with a distinct sentinel value for every secret. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { projectName, secretKeys, toRawStackConfig, type SecretKey } from "../../src/config";
import { readStackSettings, type StackSettings } from "../../src/config/stackFiles";

export const projectDir = resolve(__dirname, "..", "..");

/**
 * The stack files the tests own (copies of the shipped examples): a user's
 * own stacks/ must not change what the program tests assert. Only
 * test/config/stackFiles.test.ts reads stacks/, for what holds for any user.
 */
export const fixtureStacksDir = resolve(__dirname, "..", "fixtures", "stacks");
export const committedStacksDir = resolve(projectDir, "stacks");

/** The tests' own image-signing key pair (test/fixtures/signing/): the program checks the key is one. */
export const fixtureSigningKey = readFileSync(resolve(__dirname, "..", "fixtures", "signing", "image-signing.pem"), "utf8");
export const fixtureSigningPublicKey = readFileSync(resolve(__dirname, "..", "fixtures", "signing", "image-signing.pub"), "utf8");

/**
 * A value no real input contains, so finding it anywhere means it leaked there. For the signing key, whose
 * value must be a real key, a line of its PEM stands for it (a line is what an echo would carry).
 */
export function sentinel(key: SecretKey): string {
  if (key === "imageSigningKey") return fixtureSigningKey.split("\n")[1] ?? "";
  return `sentinel-${key}-7f3a9c`;
}

/** The value a test sets a secret to: its sentinel, or for the signing key the fixture key itself. */
export function secretValue(key: SecretKey): string {
  return key === "imageSigningKey" ? fixtureSigningKey : sentinel(key);
}

export const allSentinels: readonly string[] = secretKeys.map(sentinel);

// The fixture stack files never change during a run: each is read (YAML, with Pulumi.yaml) once per worker.
const fixtureSettings = new Map<string, StackSettings>();

function fixtureStack(stack: string): StackSettings {
  let settings = fixtureSettings.get(stack);
  if (settings === undefined) {
    settings = readStackSettings(projectDir, stack, fixtureStacksDir);
    fixtureSettings.set(stack, settings);
  }
  return settings;
}

/**
 * The fixture stack file (or one in `stacksDir`) plus every given secret set, as `pulumi config set --secret` would:
 * to its sentinel (the signing key to the fixture key), or to what `valueOf` gives it (the leak tests' value classes).
 */
export function stackWithSecrets(
  stack: string,
  secrets: readonly SecretKey[] = secretKeys,
  overrides: Readonly<Record<string, string>> = {},
  stacksDir: string = fixtureStacksDir,
  valueOf: (key: SecretKey) => string = secretValue,
): StackSettings {
  // Copied below, never changed: the cached settings stay as read.
  const base = stacksDir === fixtureStacksDir ? fixtureStack(stack) : readStackSettings(projectDir, stack, stacksDir);
  const config: Record<string, string> = { ...base.config };
  for (const [key, value] of Object.entries(overrides)) config[`${projectName}:${key}`] = value;
  const secretFullKeys = secrets.map((k) => `${projectName}:${k}`);
  for (const key of secrets) config[`${projectName}:${key}`] = valueOf(key);
  return { config, secretKeys: [...base.secretKeys, ...secretFullKeys] };
}

export function rawConfig(settings: StackSettings, stack: string) {
  return toRawStackConfig(stack, settings.config, (k) => settings.secretKeys.includes(k));
}
