// The governing stack's slice: the branch rulesets, Actions hardening and repository entries.
import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import {
  actionsPermissionsSpec,
  governanceSlice,
  publishedTo,
  repositoryAdminRoleId,
  requiredCheckNames,
  rulesetSpecs,
  secretsNeeded,
  tagRulesetSpec,
  workflowPermissionsSpec,
} from "../../src/pipeline";
import { allowedActionPatterns } from "../../src/workflows/allowedActions";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const configOf = (stack: string, overrides?: Record<string, string>) =>
  validateStackConfig(rawConfig(stackWithSecrets(stack, undefined, overrides), stack)).config;

describe("rulesetSpecs", () => {
  const config = configOf("staging", { developBranch: "release/next" });
  const rulesets = rulesetSpecs(config);

  it("protects the default and develop branches by full ref, named from the branch", () => {
    expect(rulesets.map((r) => [r.name, r.ref])).toEqual([
      ["protect-main", "refs/heads/main"],
      ["protect-release-next", "refs/heads/release/next"],
    ]);
  });

  it("lets only the delivery App bypass, and requires a reviewed pull request and the generated checks", () => {
    for (const ruleset of rulesets) {
      expect(ruleset.enforcement).toBe("active");
      expect(ruleset.bypass).toEqual({ appId: config.deliveryAppId, mode: "always" });
      expect(ruleset.rules).toEqual({
        deletion: true,
        nonFastForward: true,
        pullRequest: {
          requiredApprovingReviewCount: 1,
          dismissStaleReviewsOnPush: true,
          requireLastPushApproval: true,
          requiredReviewThreadResolution: true,
        },
        requiredStatusChecks: { strictRequiredStatusChecksPolicy: true, requiredChecks: requiredCheckNames(config.pythonVersions) },
      });
    }
  });
});

describe("actionsPermissionsSpec", () => {
  it("requires SHA pinning and allows only the actions the workflows run, not all GitHub-owned or verified ones", () => {
    const staging = configOf("staging");
    expect(actionsPermissionsSpec(staging)).toEqual({
      shaPinningRequired: true,
      allowedActions: "selected",
      githubOwnedAllowed: false,
      verifiedAllowed: false,
      patternsAllowed: allowedActionPatterns(staging),
    });
    expect(actionsPermissionsSpec(staging).patternsAllowed).toContain("actions/checkout@*");
  });
});

describe("tagRulesetSpec", () => {
  it("lets only the delivery App and repository admins create, move or delete a release tag", () => {
    const staging = configOf("staging");
    expect(tagRulesetSpec(staging)).toEqual({
      name: "protect-release-tags",
      ref: "refs/tags/v*",
      enforcement: "active",
      bypass: { appId: staging.deliveryAppId, adminRoleId: 5, mode: "always" },
      rules: { creation: true, update: true, deletion: true, nonFastForward: true },
    });
    expect(repositoryAdminRoleId).toBe(5);
  });
});

describe("workflowPermissionsSpec", () => {
  it("starts Actions' own token read-only, and lets no workflow approve a pull request", () => {
    expect(workflowPermissionsSpec).toEqual({ defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false });
  });
});

describe("governanceSlice", () => {
  it("is the governing stack's alone, with its rulesets, permissions and repository entries", () => {
    const staging = configOf("staging");
    const needed = secretsNeeded(staging);
    expect(governanceSlice(staging, needed)).toEqual({
      rulesets: rulesetSpecs(staging),
      tagRuleset: tagRulesetSpec(staging),
      actionsPermissions: actionsPermissionsSpec(staging),
      workflowPermissions: workflowPermissionsSpec,
      ...publishedTo(undefined, staging, needed),
    });
    const production = configOf("production");
    expect(governanceSlice(production, secretsNeeded(production))).toBeUndefined();
  });
});
