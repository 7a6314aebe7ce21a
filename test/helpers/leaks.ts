/** The leak checks both stacks' leak tests share. */
import { expect } from "vitest";
import { secretKeys, type SecretKey } from "../../src/config";
import { formatPlan } from "../../tools/plan/format";
import type { ProgramRun } from "../../tools/plan/harness";
import { sentinel } from "./stacks";

/** Does this plain value contain the text, anywhere inside? */
function contains(value: unknown, text: string): boolean {
  return JSON.stringify(value ?? null).includes(text);
}

/** Asserts no sentinel escapes, and returns the secrets that were consumed (inside Pulumi secrets only). */
export function assertNoLeaks(run: ProgramRun): SecretKey[] {
  const everythingVisible = JSON.stringify({
    inputs: run.resources.map((r) => r.inputs),
    outputs: run.outputs,
    plan: formatPlan({ stack: "s", run, missingSecretCommands: [], notes: [], outDir: ".", writtenFiles: [] }),
  });
  for (const key of secretKeys) expect(everythingVisible, key).not.toContain(sentinel(key));
  for (const resource of run.resources) {
    for (const field of ["content", "create", "update", "delete"]) {
      for (const key of secretKeys)
        expect(contains(resource.plainInputs[field], sentinel(key)), `${resource.name}.${field} holds ${key}`).toBe(false);
    }
  }
  // Where a sentinel does appear in plain inputs, it must sit under a path Pulumi marks secret.
  const consumed = new Set<SecretKey>();
  for (const resource of run.resources) {
    for (const key of secretKeys) {
      if (!contains(resource.plainInputs, sentinel(key))) continue;
      consumed.add(key);
      const insideSecret = resource.secretPaths.some((path) => contains(pathValue(resource.plainInputs, path), sentinel(key)));
      expect(insideSecret, `${key} in ${resource.name} outside a secret`).toBe(true);
    }
  }
  return secretKeys.filter((k) => consumed.has(k));
}

function pathValue(root: unknown, path: string): unknown {
  // "a.b[0].c" -> ["a", "b", "0", "c"]
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((p) => p !== "")
    .reduce<unknown>(
      (value, part) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined),
      root,
    );
}

/**
 * What each stack's leak test must find consumed, written out by hand (in the catalog's order): a secret added to
 * the catalog fails leak.catalog.test.ts until a leak test consumes it, so no new secret goes unchecked.
 */
const everyBackendAndApp: readonly SecretKey[] = [
  "railwayToken",
  "anthropicApiKey",
  "openaiApiKey",
  "pulumiConfigPassphrase",
  "pulumiAccessToken",
  "awsAccessKeyId",
  "awsSecretAccessKey",
  "pulumiPreviewAccessToken",
  "awsPreviewAccessKeyId",
  "awsPreviewSecretAccessKey",
  "googleCredentials",
  "azureStorageKey",
  "deliveryAppPrivateKey",
  "previewAppPrivateKey",
  "dockerhubToken",
];
export const consumedBy: Readonly<Record<"staging" | "production", readonly SecretKey[]>> = {
  staging: [...everyBackendAndApp, "dockerhubPullToken", "codecovToken", "slackWebhookUrl", "githubToken"],
  // The committed production stack pulls a public image (no pull token) and sets neither Codecov nor Slack.
  production: [...everyBackendAndApp, "githubToken"],
};
