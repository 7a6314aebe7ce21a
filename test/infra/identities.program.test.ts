// The real program under mocks: which credential each of staging's environments receives, by the sentinel its value holds;
// and the identities it refuses to publish, judged from the secret values only the program holds.
import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, secretKeys, type Problem, type SecretKey } from "../../src/config";
import type { ProgramRun } from "../../tools/plan/harness";
import { byType, evaluate } from "../helpers/program";
import { secretValue, sentinel, stackWithSecrets } from "../helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  // Every secret set, the read-only state credentials included (the fixture's backend is S3).
  run = await evaluate("staging", stackWithSecrets("staging"));
});

/** `<environment>/<secret name>` → the config key whose sentinel the published value holds. */
function published(): Record<string, SecretKey | undefined> {
  return Object.fromEntries(
    byType(run, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret").map((r) => {
      const value = JSON.stringify(r.plainInputs["value"] ?? null);
      return [`${String(r.inputs["environment"])}/${String(r.inputs["secretName"])}`, secretKeys.find((k) => value.includes(sentinel(k)))];
    }),
  );
}

describe("staging's environments hold the identity of the jobs that run in them", () => {
  it("the read-only App's key only where previews and drift checks run, the delivery App's key only where deploys run", () => {
    const secrets = published();
    expect(secrets["staging-preview/PREVIEW_APP_PRIVATE_KEY"]).toBe("previewAppPrivateKey");
    expect(secrets["staging-drift/PREVIEW_APP_PRIVATE_KEY"]).toBe("previewAppPrivateKey");
    expect(secrets).not.toHaveProperty("staging/PREVIEW_APP_PRIVATE_KEY");
    expect(secrets["staging/DELIVERY_APP_PRIVATE_KEY"]).toBe("deliveryAppPrivateKey");
    expect(secrets).not.toHaveProperty("staging-preview/DELIVERY_APP_PRIVATE_KEY");
    expect(secrets).not.toHaveProperty("staging-drift/DELIVERY_APP_PRIVATE_KEY");
  });

  it("previews log in to the state with the read-only keys, deploys with the read-write ones", () => {
    const secrets = published();
    expect(secrets["staging-preview/AWS_ACCESS_KEY_ID"]).toBe("awsPreviewAccessKeyId");
    expect(secrets["staging-preview/AWS_SECRET_ACCESS_KEY"]).toBe("awsPreviewSecretAccessKey");
    expect(secrets["staging/AWS_ACCESS_KEY_ID"]).toBe("awsAccessKeyId");
    expect(secrets["staging/AWS_SECRET_ACCESS_KEY"]).toBe("awsSecretAccessKey");
    expect(secrets["staging-drift/AWS_ACCESS_KEY_ID"]).toBe("awsPreviewAccessKeyId");
    expect(secrets["staging-drift/AWS_SECRET_ACCESS_KEY"]).toBe("awsPreviewSecretAccessKey");
    // No deploy-scope state credential reaches the preview or drift environment, under any name.
    for (const environment of ["staging-preview", "staging-drift"]) {
      const readOnlyKeys = Object.entries(secrets)
        .filter(([name]) => name.startsWith(`${environment}/`))
        .map(([, key]) => key);
      expect(readOnlyKeys.length, environment).toBeGreaterThan(0);
      expect(readOnlyKeys).not.toContain("awsAccessKeyId");
      expect(readOnlyKeys).not.toContain("awsSecretAccessKey");
      expect(readOnlyKeys).not.toContain("pulumiAccessToken");
    }
  });
});

/** The program's refusal of staging with `values` for some secrets (the rest at their sentinels), as problems. */
async function refusal(values: Partial<Record<SecretKey, string>>, overrides: Record<string, string> = {}): Promise<readonly Problem[]> {
  const settings = stackWithSecrets("staging", secretKeys, overrides, undefined, (key) => values[key] ?? secretValue(key));
  const error: unknown = await evaluate("staging", settings).then(
    () => new Error("staging was not refused"),
    (e: unknown) => e,
  );
  expect(pulumi.RunError.isInstance(error)).toBe(true);
  const cause = (error as Error).cause;
  expect(cause).toBeInstanceOf(ConfigError);
  return (cause as ConfigError).problems;
}

// Only the program sees secret values: it derives the facts the identity rules judge, and refuses before declaring anything.
describe("staging refuses identities that are one under two names", () => {
  it("a preview App key that is the delivery App's key, named as the preview key, its value hidden", async () => {
    const problems = await refusal({ previewAppPrivateKey: sentinel("deliveryAppPrivateKey") });
    expect(problems.map((p) => [p.key, p.value])).toEqual([["previewAppPrivateKey", "(secret)"]]);
    expect(JSON.stringify(problems)).not.toContain(sentinel("deliveryAppPrivateKey"));
  });

  it("read-only state keys that are the read-write ones", async () => {
    const problems = await refusal({
      awsPreviewAccessKeyId: sentinel("awsAccessKeyId"),
      awsPreviewSecretAccessKey: sentinel("awsSecretAccessKey"),
    });
    expect(problems.map((p) => p.key)).toEqual(["awsPreviewAccessKeyId", "awsPreviewSecretAccessKey"]);
  });

  it("a signing key that is not the public key's other half, or no key at all", async () => {
    const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect((await refusal({ imageSigningKey: other })).map((p) => p.key)).toEqual(["imageSigningPublicKey"]);
    const invalid = await refusal({ imageSigningKey: "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n" });
    expect(invalid.map((p) => [p.key, p.value])).toEqual([["imageSigningKey", "(secret)"]]);
  });

  it("and declares nothing", async () => {
    await refusal({ previewAppPrivateKey: sentinel("deliveryAppPrivateKey") });
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string }> };
    expect([...monitor.resources.values()]).toEqual([]);
  });
});
