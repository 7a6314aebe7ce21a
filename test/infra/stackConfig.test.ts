// How the program tells secret config from plain: through the SDK's internal isConfigSecret,
// which must fail loudly, not count every secret as plain, if an SDK upgrade removes it; and which secret values the
// identity rules may learn facts from.
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { describe, expect, it } from "vitest";
import { configSecretTest, secretValuesForFacts } from "../../infra/stackConfig";

describe("configSecretTest", () => {
  it("uses the SDK's own test, which exists in the pinned @pulumi/pulumi", () => {
    expect(typeof (runtimeConfig as { isConfigSecret?: unknown }).isConfigSecret).toBe("function");
    expect(typeof configSecretTest()).toBe("function");
  });

  it("answers what the SDK answers", () => {
    const test = configSecretTest({ isConfigSecret: (key: string) => key === "delivery-pipeline:railwayToken" });
    expect(test("delivery-pipeline:railwayToken")).toBe(true);
    expect(test("delivery-pipeline:railwayDomain")).toBe(false);
  });

  it("stops the program with the fix when the SDK no longer has it", () => {
    expect(() => configSecretTest({})).toThrow(/no longer exports isConfigSecret.*package-lock\.json.*infra\/stackConfig\.ts/s);
  });
});

describe("secretValuesForFacts", () => {
  const all = {
    "delivery-pipeline:deliveryAppPrivateKey": "delivery-key",
    "delivery-pipeline:previewAppPrivateKey": "[secret]",
    "delivery-pipeline:dockerhubToken": "<not set>",
    "delivery-pipeline:dockerhubPullToken": "pull-token",
    "delivery-pipeline:repository": "acme/app",
    "other:railwayToken": "foreign",
  };
  const secret = (key: string): boolean => key !== "delivery-pipeline:dockerhubPullToken";

  it("hands the identity rules only the secret values the program was really given", () => {
    // The plan's ciphertext mark and its placeholder say nothing about a value; a plain key or another namespace is no secret.
    expect(secretValuesForFacts(all, secret)).toEqual({ deliveryAppPrivateKey: "delivery-key" });
    expect(secretValuesForFacts(all, () => true)).toEqual({ deliveryAppPrivateKey: "delivery-key", dockerhubPullToken: "pull-token" });
    expect(secretValuesForFacts({}, () => true)).toEqual({});
  });
});
