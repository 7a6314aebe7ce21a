// The fix each problem prints: a shell-safe `pulumi config set` with a value that works for this key and stack,
// or the stack file line for a list or a map.
import { describe, expect, it } from "vitest";
import { configKeys } from "../../src/config";
import { exampleLike, fixCommand, productionExamples, quote } from "../../src/config/fixCommands";

describe("quote", () => {
  it("leaves a plain word as is, single-quotes anything else and escapes its quotes", () => {
    expect(quote("acme/app:v1@x=y")).toBe("acme/app:v1@x=y");
    expect(quote("s3://b?region=x")).toBe("'s3://b?region=x'");
    expect(quote("it's")).toBe("'it'\\''s'");
    expect(quote("")).toBe("''");
  });
});

describe("exampleLike", () => {
  it("gives a state backend URL corrected in the user's own form", () => {
    expect(exampleLike("stateBackendUrl", "  s3://my-bucket ")).toBe("s3://my-bucket?region=us-east-1");
  });

  it("has none for a valid URL, another key or no value", () => {
    expect(exampleLike("stateBackendUrl", "gs://my-bucket")).toBeUndefined();
    expect(exampleLike("repository", "s3://my-bucket")).toBeUndefined();
    expect(exampleLike("stateBackendUrl", undefined)).toBeUndefined();
  });
});

describe("fixCommand", () => {
  it("points lists and maps at the stack file", () => {
    expect(fixCommand("reviewerTeams", configKeys.reviewerTeams, "staging")).toBe(
      'set it in stacks/Pulumi.staging.yaml, e.g. delivery-pipeline:reviewerTeams: ["release-managers"]',
    );
    expect(fixCommand("secretRotatedAt", configKeys.secretRotatedAt, "production")).toMatch(/^set it in stacks\/Pulumi\.production\.yaml/);
  });

  it("uses production's own example where the generic one would be wrong there, and only there", () => {
    expect(Object.keys(productionExamples).sort()).toEqual(["governsRepository", "railwayDomain", "waitTimerMinutes"]);
    expect(fixCommand("waitTimerMinutes", configKeys.waitTimerMinutes, "production")).toBe(
      "pulumi config set waitTimerMinutes 5 --stack production",
    );
    expect(fixCommand("waitTimerMinutes", configKeys.waitTimerMinutes, "staging")).toBe(
      "pulumi config set waitTimerMinutes 0 --stack staging",
    );
    expect(fixCommand("repository", configKeys.repository, "production")).toBe(
      "pulumi config set repository acme/learning-voice-agent --stack production",
    );
  });

  it("prefers the user's own backend, quoted, over any stack's example", () => {
    expect(fixCommand("stateBackendUrl", configKeys.stateBackendUrl, "production", "azblob://state")).toBe(
      "pulumi config set stateBackendUrl 'azblob://state?storage_account=acmepulumistate' --stack production",
    );
    expect(fixCommand("stateBackendUrl", configKeys.stateBackendUrl, "staging")).toBe(
      "pulumi config set stateBackendUrl 's3://acme-pulumi-state?region=us-east-1' --stack staging",
    );
  });
});
