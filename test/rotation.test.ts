// What changes between two evaluations of a stack: rotating one secret touches exactly the resources that
// consume it, and nothing else; previewing an unchanged stack declares exactly what updating it does.
// One file, so both compare against the same update-mode evaluation of each stack.
import { generateKeyPairSync } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { projectName } from "../src/config";
import type { StackSettings } from "../src/config/stackFiles";
import { evaluated, type EvaluationSummary } from "./helpers/evaluation";
import { fixtureStacksDir, stackWithSecrets } from "./helpers/stacks";

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

/** A new signing key pair: the program refuses a signing key that is not the public key's other half. */
function newSigningKeyPair(): Record<string, string> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    [`${projectName}:imageSigningKey`]: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    [`${projectName}:imageSigningPublicKey`]: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function rotated(stack: string, key: string) {
  const settings = stackWithSecrets(stack);
  const values = key === "imageSigningKey" ? newSigningKeyPair() : { [`${projectName}:${key}`]: `rotated-${key}-value` };
  return { ...settings, config: { ...settings.config, ...values } };
}

/**
 * The other stack's file as it is after the rotation: a new signing key pair's public half is set in both stacks
 * (they must name the same key), the other secrets in one.
 */
function siblingsAfter(settings: StackSettings, key: string): string {
  if (key !== "imageSigningKey") return fixtureStacksDir;
  const dir = mkdtempSync(join(tmpdir(), "rotation-"));
  cpSync(fixtureStacksDir, dir, { recursive: true });
  const file = join(dir, "Pulumi.production.yaml");
  const doc = parseDocument(readFileSync(file, "utf8"));
  doc.setIn(["config", `${projectName}:imageSigningPublicKey`], settings.config[`${projectName}:imageSigningPublicKey`]);
  writeFileSync(file, doc.toString());
  return dir;
}

// Each stack's update-mode evaluation is made once, however many tests compare against it.
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
    // The signature is pushed with it, so the signing command sees the new one.
    [
      "staging",
      "dockerhubToken",
      ["delivery-app-image-amd64", "delivery-app-image-arm64", "delivery-app-index", "delivery-image-signature", "delivery-verified-tag"],
    ],
    [
      "staging",
      "pulumiConfigPassphrase",
      [
        "delivery-staging-drift-secret-pulumi-config-passphrase",
        "delivery-staging-preview-secret-pulumi-config-passphrase",
        "delivery-staging-secret-pulumi-config-passphrase",
      ],
    ],
    // The signing key (with its public half) reaches only the signing command: rotating the pair signs again, nothing else.
    ["staging", "imageSigningKey", ["delivery-image-signature"]],
    ["production", "openaiApiKey", ["delivery-production-secret-openai-api-key", "delivery-railway-deploy"]],
  ])(
    "%s %s changes exactly its consumers",
    async (stack, key, expected) => {
      // One after the other: the runtime evaluates one program at a time.
      const before = await baseline(stack);
      const settings = rotated(stack, key);
      const after = await evaluated(stack, settings, false, siblingsAfter(settings, key));
      expect(changed(before, after)).toEqual(expected);
    },
    60_000,
  );
});

// An unchanged stack must preview with no changes: every input the program declares is the same
// in a preview (Pulumi's dry run) and in an update. Otherwise every preview shows a change, every
// deploy rebuilds the image and the nightly drift check can never pass.
describe.each(["staging", "production"])("%s in preview and in update mode", (stack) => {
  it("declares the same resources with the same inputs, secrets included (compared by hash)", async () => {
    const preview = await evaluated(stack, stackWithSecrets(stack), true);
    const update = await baseline(stack);
    const shape = (run: EvaluationSummary) =>
      run.resources
        .map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, plainHash: r.plainHash }))
        .sort((a, b) => a.name.localeCompare(b.name));
    expect(shape(preview)).toEqual(shape(update));
    expect(preview.resources.length).toBeGreaterThan(20);
  }, 60_000);
});
