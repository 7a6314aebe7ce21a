// Rotating one secret touches exactly the resources that consume it, and nothing else.
import { describe, expect, it } from "vitest";
import { projectName } from "../src/config";
import { evaluated, type EvaluationSummary } from "./helpers/evaluation";
import { stackWithSecrets } from "./helpers/stacks";

function changed(before: EvaluationSummary, after: EvaluationSummary): string[] {
  const previous = new Map(before.resources.map((r) => [`${r.type} ${r.name}`, r]));
  expect(after.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([...previous.keys()].sort());
  return after.resources
    .filter((r) => {
      const p = previous.get(`${r.type} ${r.name}`);
      return p?.plainHash !== r.plainHash || JSON.stringify(p.inputs) !== JSON.stringify(r.inputs);
    })
    .map((r) => r.name)
    .sort();
}

function rotated(stack: string, key: string) {
  const settings = stackWithSecrets(stack);
  return { ...settings, config: { ...settings.config, [`${projectName}:${key}`]: `rotated-${key}-value` } };
}

// Each stack's baseline is evaluated once, however many rotations compare against it.
const baselines = new Map<string, EvaluationSummary>();
async function baseline(stack: string): Promise<EvaluationSummary> {
  const known = baselines.get(stack);
  if (known !== undefined) return known;
  const evaluation = await evaluated(stack, stackWithSecrets(stack));
  baselines.set(stack, evaluation);
  return evaluation;
}

describe("secret rotation", () => {
  it.each([
    ["staging", "railwayToken", ["delivery-railway-deploy", "delivery-staging-secret-railway-api-token"]],
    ["staging", "anthropicApiKey", ["delivery-railway-deploy", "delivery-staging-secret-anthropic-api-key"]],
    // The push token never reaches Railway: rotating it does not redeploy. Nor GitHub: no workflow reads it.
    ["staging", "dockerhubToken", ["delivery-app-image-amd64", "delivery-app-image-arm64", "delivery-app-index", "delivery-verified-tag"]],
    [
      "staging",
      "pulumiConfigPassphrase",
      ["delivery-staging-preview-secret-pulumi-config-passphrase", "delivery-staging-secret-pulumi-config-passphrase"],
    ],
    ["production", "openaiApiKey", ["delivery-production-secret-openai-api-key", "delivery-railway-deploy"]],
  ])(
    "%s %s changes exactly its consumers",
    async (stack, key, expected) => {
      // One after the other: the runtime evaluates one program at a time.
      const before = await baseline(stack);
      const after = await evaluated(stack, rotated(stack, key));
      expect(changed(before, after)).toEqual(expected);
    },
    60_000,
  );
});
