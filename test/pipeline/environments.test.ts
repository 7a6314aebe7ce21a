// The two environments a stack owns: who may deploy, and the gate before a deploy.
import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { releaseTagGlob } from "../../src/formats";
import { deployEnvironmentSpec, previewEnvironmentName, previewEnvironmentSpec } from "../../src/pipeline";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const configOf = (stack: string, overrides?: Record<string, string>) =>
  validateStackConfig(rawConfig(stackWithSecrets(stack, undefined, overrides), stack)).config;
const customOnly = { protectedBranches: false, customBranchPolicies: true };

describe("deployEnvironmentSpec", () => {
  it("lets only the default branch deploy to staging, with admins able to bypass", () => {
    const staging = deployEnvironmentSpec(configOf("staging", { defaultBranch: "trunk" }));
    expect(staging).toMatchObject({ name: "staging", preventSelfReview: false, canAdminsBypass: true });
    expect(staging.deploymentPolicy).toEqual({ branchPolicy: customOnly, allowed: { kind: "branch", pattern: "trunk" } });
  });

  it("lets only release tags deploy to production, gated by reviewers no deployer can approve alone", () => {
    const config = configOf("production");
    const production = deployEnvironmentSpec(config);
    expect(production).toMatchObject({
      name: "production",
      url: `https://${config.railwayDomain}`,
      reviewerUsers: config.reviewerUsers,
      reviewerTeams: config.reviewerTeams,
      waitTimerMinutes: config.waitTimerMinutes,
      preventSelfReview: true,
      canAdminsBypass: false,
    });
    expect(production.deploymentPolicy).toEqual({ branchPolicy: customOnly, allowed: { kind: "tag", pattern: releaseTagGlob } });
  });
});

describe("previewEnvironmentSpec", () => {
  it("is <stack>-preview, open to any branch, with no gate and no URL", () => {
    expect(previewEnvironmentSpec("production")).toEqual({
      name: previewEnvironmentName("production"),
      url: undefined,
      reviewerUsers: [],
      reviewerTeams: [],
      waitTimerMinutes: 0,
      preventSelfReview: false,
      canAdminsBypass: true,
      deploymentPolicy: undefined,
    });
    expect(previewEnvironmentName("production")).toBe("production-preview");
  });
});
