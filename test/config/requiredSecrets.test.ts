// Which required secrets a stack still lacks: in catalog order, and half of a credential pair asks for the other half.
import { describe, expect, it } from "vitest";
import { isStackName, missingSecretKeys } from "../../src/config";

describe("missingSecretKeys", () => {
  it("lists the required secrets not present, in catalog order whatever the order given", () => {
    expect(missingSecretKeys(["openaiApiKey", "railwayToken", "anthropicApiKey"], ["anthropicApiKey"])).toEqual([
      "railwayToken",
      "openaiApiKey",
    ]);
    expect(missingSecretKeys(["railwayToken"], ["railwayToken"])).toEqual([]);
  });

  it("asks for the other half of a credential pair, required or not", () => {
    expect(missingSecretKeys([], ["awsPreviewAccessKeyId"])).toEqual(["awsPreviewSecretAccessKey"]);
    expect(missingSecretKeys([], ["awsPreviewSecretAccessKey"])).toEqual(["awsPreviewAccessKeyId"]);
    expect(missingSecretKeys([], ["awsPreviewAccessKeyId", "awsPreviewSecretAccessKey"])).toEqual([]);
  });
});

describe("isStackName", () => {
  it("knows the two stacks only", () => {
    expect(["staging", "production", "dev", "Staging", ""].filter(isStackName)).toEqual(["staging", "production"]);
  });
});
