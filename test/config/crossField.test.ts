// The rules across keys, each on its own: what GitHub's plans allow, reviewer counts, branches, and which rules run
// when a key they read failed its own check.
import { describe, expect, it } from "vitest";
import { validateStackConfig, type ConfigValues } from "../../src/config";
import {
  branchProblems,
  crossFieldProblems,
  crossFieldRules,
  protectionRuleProblems,
  protectionRulesAllowed,
  reviewerCountProblems,
  visibilityPlanProblems,
} from "../../src/config/crossField";
import { fixtureRaw } from "../helpers/fixtureConfig";

const base = validateStackConfig(fixtureRaw("staging")).config as ConfigValues;
const v = (overrides: Partial<ConfigValues>): ConfigValues => ({ ...base, ...overrides });

describe("visibilityPlanProblems", () => {
  it("refuses internal below enterprise and private on Free, accepts the rest", () => {
    expect(visibilityPlanProblems(v({ repositoryVisibility: "internal", githubPlan: "team" }), "staging")).toEqual([
      {
        key: "repositoryVisibility",
        value: "internal",
        allowed: "public or private with githubPlan team (internal repositories exist only on enterprise)",
        fix: "pulumi config set repositoryVisibility private --stack staging",
      },
    ]);
    expect(visibilityPlanProblems(v({ repositoryVisibility: "private", githubPlan: "free" }), "staging").map((p) => p.key)).toEqual([
      "githubPlan",
    ]);
    expect(visibilityPlanProblems(v({ repositoryVisibility: "internal", githubPlan: "enterprise" }), "staging")).toEqual([]);
    expect(visibilityPlanProblems(v({ repositoryVisibility: "public", githubPlan: "free" }), "staging")).toEqual([]);
  });
});

describe("protectionRulesAllowed and protectionRuleProblems", () => {
  const gated: Partial<ConfigValues> = { repositoryVisibility: "private", githubPlan: "team", reviewerTeams: ["ops"], waitTimerMinutes: 3 };

  it("allows reviewers and timers on public repositories and on enterprise", () => {
    expect(protectionRulesAllowed(v({ repositoryVisibility: "public", githubPlan: "free" }))).toBe(true);
    expect(protectionRulesAllowed(v({ repositoryVisibility: "private", githubPlan: "enterprise" }))).toBe(true);
    expect(protectionRulesAllowed(v({ repositoryVisibility: "private", githubPlan: "team" }))).toBe(false);
  });

  it("refuses reviewers and a wait timer on a private repository below enterprise", () => {
    const problems = protectionRuleProblems(v(gated), "production");
    expect(problems.map((p) => [p.key, p.value])).toEqual([
      ["reviewerUsers", '["ops"]'],
      ["waitTimerMinutes", "3"],
    ]);
    expect(problems[0]?.allowed).toBe("no reviewers: required reviewers on a private repository need githubPlan enterprise");
  });

  it("says nothing on Free (the plan itself is refused) nor where the rules are allowed, nor without reviewers or timer", () => {
    expect(protectionRuleProblems(v({ ...gated, githubPlan: "free" }), "staging")).toEqual([]);
    expect(protectionRuleProblems(v({ ...gated, githubPlan: "enterprise" }), "staging")).toEqual([]);
    expect(protectionRuleProblems(v({ repositoryVisibility: "private", githubPlan: "pro" }), "staging")).toEqual([]);
  });
});

describe("reviewerCountProblems", () => {
  it("refuses more than six reviewers in all", () => {
    const problems = reviewerCountProblems(v({ reviewerUsers: ["a", "b", "c", "d"], reviewerTeams: ["t", "u", "w"] }), "staging");
    expect(problems).toEqual([
      {
        key: "reviewerUsers",
        value: '["a","b","c","d","t","u","w"]',
        allowed: "at most 6 reviewers (users and teams together), GitHub's limit",
        fix: "shorten reviewerUsers/reviewerTeams in stacks/Pulumi.staging.yaml",
      },
    ]);
    expect(reviewerCountProblems(v({ reviewerUsers: ["a", "b", "c"], reviewerTeams: ["t", "u", "w"] }), "staging")).toEqual([]);
  });

  it("requires one reviewer for production where the plan allows it, not for staging nor where it cannot", () => {
    const none: Partial<ConfigValues> = { reviewerUsers: [], reviewerTeams: [], repositoryVisibility: "public" };
    expect(reviewerCountProblems(v(none), "production")).toMatchObject([{ key: "reviewerUsers", value: "[]" }]);
    expect(reviewerCountProblems(v(none), "staging")).toEqual([]);
    expect(
      reviewerCountProblems(v({ reviewerUsers: [], reviewerTeams: [], repositoryVisibility: "private", githubPlan: "team" }), "production"),
    ).toEqual([]);
  });
});

describe("branchProblems", () => {
  it("refuses develop equal to the default branch", () => {
    expect(branchProblems(v({ defaultBranch: "trunk", developBranch: "trunk" }), "staging")).toEqual([
      {
        key: "developBranch",
        value: "trunk",
        allowed: "a branch other than defaultBranch",
        fix: "pulumi config set developBranch develop --stack staging",
      },
    ]);
    expect(branchProblems(v({ defaultBranch: "trunk", developBranch: "next" }), "staging")).toEqual([]);
  });
});

describe("crossFieldProblems", () => {
  const broken = v({ repositoryVisibility: "internal", githubPlan: "team", defaultBranch: "x", developBranch: "x" });

  it("runs every rule whose keys passed their checks, in the table's order", () => {
    expect(crossFieldRules.flatMap((r) => r.keys)).toEqual(["repositoryVisibility", "githubPlan", "defaultBranch", "developBranch"]);
    expect(crossFieldProblems(broken, "staging", { repositoryVisibility: "internal", githubPlan: "team" }).map((p) => p.key)).toEqual([
      "repositoryVisibility",
      "developBranch",
    ]);
  });

  it("skips a rule when a key it reads failed its own check and has no default", () => {
    expect(crossFieldProblems(broken, "staging", { githubPlan: "team" }).map((p) => p.key)).toEqual(["developBranch"]);
  });
});
