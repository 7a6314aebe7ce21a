// The environments a stack owns: who may deploy (or preview, or check drift), and the gate before a run.
import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { releaseTagGlob } from "../../src/formats";
import {
  deployEnvironmentSpec,
  driftEnvironmentName,
  driftEnvironmentSpec,
  hasPlanEnvironment,
  hasPreviewEnvironment,
  planEnvironmentName,
  planEnvironmentSpec,
  previewEnvironmentName,
  previewEnvironmentSpec,
} from "../../src/pipeline";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const configOf = (stack: string, overrides?: Record<string, string>) =>
  validateStackConfig(rawConfig(stackWithSecrets(stack, undefined, overrides), stack)).config;
const customOnly = { protectedBranches: false, customBranchPolicies: true };

describe("deployEnvironmentSpec", () => {
  it("lets only the default branch deploy to staging, and no admin skip that", () => {
    const staging = deployEnvironmentSpec(configOf("staging", { defaultBranch: "trunk" }));
    expect(staging).toMatchObject({ name: "staging", preventSelfReview: false, canAdminsBypass: false });
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
  it("is <stack>-preview, open to any branch once a preview reviewer other than the pusher approves, with no URL", () => {
    const config = configOf("production", { previewReviewerUsers: '["octocat"]', previewReviewerTeams: '["release-managers"]' });
    expect(hasPreviewEnvironment(config)).toBe(true);
    expect(previewEnvironmentSpec(config)).toEqual({
      name: previewEnvironmentName("production"),
      url: undefined,
      reviewerUsers: ["octocat"],
      reviewerTeams: ["release-managers"],
      waitTimerMinutes: 0,
      preventSelfReview: true,
      canAdminsBypass: false,
      deploymentPolicy: undefined,
    });
    expect(previewEnvironmentName("production")).toBe("production-preview");
  });

  it("does not exist without preview reviewers: pull requests then get the offline plan only", () => {
    const config = configOf("staging", { previewReviewerTeams: "[]" });
    expect(hasPreviewEnvironment(config)).toBe(false);
    expect(previewEnvironmentSpec(config)).toBeUndefined();
  });
});

describe("driftEnvironmentSpec", () => {
  it("is <stack>-drift, open to the default branch only, with no gate and no URL", () => {
    expect(driftEnvironmentSpec(configOf("production", { defaultBranch: "trunk" }))).toEqual({
      name: driftEnvironmentName("production"),
      url: undefined,
      reviewerUsers: [],
      reviewerTeams: [],
      waitTimerMinutes: 0,
      preventSelfReview: false,
      canAdminsBypass: false,
      deploymentPolicy: { branchPolicy: customOnly, allowed: { kind: "branch", pattern: "trunk" } },
    });
    expect(driftEnvironmentName("staging")).toBe("staging-drift");
  });
});

describe("planEnvironmentSpec", () => {
  it("is production-plan, open to release tags only, with no reviewer of its own and no admin bypass; staging has none", () => {
    expect(planEnvironmentSpec(configOf("production"))).toEqual({
      name: planEnvironmentName("production"),
      url: undefined,
      reviewerUsers: [],
      reviewerTeams: [],
      waitTimerMinutes: 0,
      preventSelfReview: false,
      canAdminsBypass: false,
      deploymentPolicy: { branchPolicy: customOnly, allowed: { kind: "tag", pattern: releaseTagGlob } },
    });
    expect(planEnvironmentName("production")).toBe("production-plan");
    expect(planEnvironmentSpec(configOf("staging"))).toBeUndefined();
    expect([hasPlanEnvironment({ stack: "staging" }), hasPlanEnvironment({ stack: "production" })]).toEqual([false, true]);
  });
});
