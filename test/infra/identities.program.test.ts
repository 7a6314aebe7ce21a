// The real program under mocks: which credential each of staging's environments receives, by the sentinel its value holds.
import { beforeAll, describe, expect, it } from "vitest";
import { secretKeys, type SecretKey } from "../../src/config";
import type { ProgramRun } from "../../tools/plan/harness";
import { byType, evaluate } from "../helpers/program";
import { sentinel, stackWithSecrets } from "../helpers/stacks";

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
  it("the read-only App's key only where previews run, the delivery App's key only where deploys run", () => {
    const secrets = published();
    expect(secrets["staging-preview/PREVIEW_APP_PRIVATE_KEY"]).toBe("previewAppPrivateKey");
    expect(secrets).not.toHaveProperty("staging/PREVIEW_APP_PRIVATE_KEY");
    expect(secrets["staging/DELIVERY_APP_PRIVATE_KEY"]).toBe("deliveryAppPrivateKey");
    expect(secrets).not.toHaveProperty("staging-preview/DELIVERY_APP_PRIVATE_KEY");
  });

  it("previews log in to the state with the read-only keys, deploys with the read-write ones", () => {
    const secrets = published();
    expect(secrets["staging-preview/AWS_ACCESS_KEY_ID"]).toBe("awsPreviewAccessKeyId");
    expect(secrets["staging-preview/AWS_SECRET_ACCESS_KEY"]).toBe("awsPreviewSecretAccessKey");
    expect(secrets["staging/AWS_ACCESS_KEY_ID"]).toBe("awsAccessKeyId");
    expect(secrets["staging/AWS_SECRET_ACCESS_KEY"]).toBe("awsSecretAccessKey");
    // No deploy-scope state credential reaches the preview environment, under any name.
    const previewKeys = Object.entries(secrets)
      .filter(([name]) => name.startsWith("staging-preview/"))
      .map(([, key]) => key);
    expect(previewKeys).not.toContain("awsAccessKeyId");
    expect(previewKeys).not.toContain("awsSecretAccessKey");
    expect(previewKeys).not.toContain("pulumiAccessToken");
  });
});
