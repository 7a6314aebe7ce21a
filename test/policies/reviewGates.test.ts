// The policies that keep secrets behind review (issue 22): an environment any branch may use must wait for a
// reviewer who did not start the run; no repository secrets; release tags only the App and admins move;
// Actions' token read-only and unable to approve pull requests. Each with what passes and what fails.
import { describe, expect, it } from "vitest";
import { tagRulesetViolations, ungatedSecretViolations, workflowPermissionViolations } from "../../src/policies/checks";

describe("secrets-behind-review", () => {
  const gated = {
    environment: "staging-preview",
    reviewers: [{ users: [], teams: [42] }],
    preventSelfReview: true,
    canAdminsBypass: false,
  };

  it("passes an any-branch environment behind a reviewer who did not start the run, and any environment with a deployment policy", () => {
    expect(ungatedSecretViolations("environment", gated)).toEqual([]);
    expect(
      ungatedSecretViolations("environment", {
        environment: "staging-drift",
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        reviewers: [],
      }),
    ).toEqual([]);
  });

  it("refuses an any-branch environment without reviewers, with self-review, or with admin bypass", () => {
    expect(ungatedSecretViolations("environment", { ...gated, reviewers: [] })).toEqual([
      "staging-preview admits any branch with no reviewer: give it reviewers, or a deployment policy of reviewed refs",
    ]);
    expect(ungatedSecretViolations("environment", { ...gated, preventSelfReview: false })).toHaveLength(1);
    expect(ungatedSecretViolations("environment", { ...gated, canAdminsBypass: true })).toHaveLength(1);
  });

  it("refuses every repository secret", () => {
    expect(ungatedSecretViolations("repository-secret", { secretName: "CODECOV_TOKEN" })).toEqual([
      "repository secret CODECOV_TOKEN: a workflow on any branch can read it; publish it to an environment that admits only reviewed refs",
    ]);
  });
});

describe("release-tags-protected", () => {
  const tags = {
    name: "protect-release-tags",
    target: "tag",
    rules: { creation: true, update: true, deletion: true, nonFastForward: true },
    bypassActors: [
      { actorType: "Integration", actorId: 1234567, bypassMode: "always" },
      { actorType: "RepositoryRole", actorId: 5, bypassMode: "always" },
    ],
  };

  it("passes the App and admins as the only bypass, creation, update and deletion restricted; ignores branch rulesets", () => {
    expect(tagRulesetViolations(tags, { deliveryAppId: 1234567 })).toEqual([]);
    expect(tagRulesetViolations({ ...tags, target: "branch", bypassActors: [] }, { deliveryAppId: 1 })).toEqual([]);
  });

  it("refuses an unrestricted creation, another App, or the write role as bypass", () => {
    expect(tagRulesetViolations({ ...tags, rules: { ...tags.rules, creation: false } }, { deliveryAppId: 1234567 })).toEqual([
      "protect-release-tags: restrict tag creation (creation: true), or a writer can make an unreviewed commit a release",
    ]);
    expect(tagRulesetViolations(tags, { deliveryAppId: 7 })).toHaveLength(1);
    const writers = { ...tags, bypassActors: [...tags.bypassActors, { actorType: "RepositoryRole", actorId: 4, bypassMode: "always" }] };
    expect(tagRulesetViolations(writers, { deliveryAppId: 1234567 })).toHaveLength(1);
  });
});

describe("actions-token-read-only", () => {
  it("passes read with no approving, and refuses write or approving", () => {
    expect(workflowPermissionViolations({ defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false })).toEqual([]);
    expect(workflowPermissionViolations({ defaultWorkflowPermissions: "write", canApprovePullRequestReviews: false })).toHaveLength(1);
    expect(workflowPermissionViolations({ defaultWorkflowPermissions: "read", canApprovePullRequestReviews: true })).toEqual([
      "workflows may approve pull requests: a branch's workflow could approve its own and merge it; set canApprovePullRequestReviews false",
    ]);
  });
});
