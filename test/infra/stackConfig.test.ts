// How the program tells secret config from plain: through the SDK's internal isConfigSecret,
// which must fail loudly, not count every secret as plain, if an SDK upgrade removes it.
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { describe, expect, it } from "vitest";
import { configSecretTest } from "../../infra/stackConfig";

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
