// The rules across keys, each on its own: what GitHub's plans allow, reviewer counts, branches, and which rules run
// when a key they read failed its own check.
import { describe, expect, it } from "vitest";
import { validateStackConfig, type ConfigValues } from "../../src/config";
import {
  branchProblems,
  crossFieldProblems,
  deployImageProblems,
  crossFieldRules,
  enginePreviewsEnabled,
  previewReviewerProblems,
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

describe("enginePreviewsEnabled and previewReviewerProblems", () => {
  it("gives pull requests an engine preview only with preview reviewers GitHub enforces", () => {
    expect(enginePreviewsEnabled(v({ previewReviewerUsers: ["octocat"], repositoryVisibility: "public", githubPlan: "free" }))).toBe(true);
    expect(enginePreviewsEnabled(v({ previewReviewerTeams: ["ops"], repositoryVisibility: "private", githubPlan: "enterprise" }))).toBe(
      true,
    );
    expect(enginePreviewsEnabled(v({ previewReviewerUsers: [], previewReviewerTeams: [], repositoryVisibility: "public" }))).toBe(false);
    expect(enginePreviewsEnabled(v({ previewReviewerTeams: ["ops"], repositoryVisibility: "private", githubPlan: "team" }))).toBe(false);
  });

  it("refuses preview reviewers GitHub would not enforce, with the way back to the offline plan", () => {
    expect(
      previewReviewerProblems(v({ previewReviewerTeams: ["ops"], repositoryVisibility: "private", githubPlan: "team" }), "staging"),
    ).toEqual([
      {
        key: "previewReviewerUsers",
        value: '["ops"]',
        allowed:
          "no preview reviewers: GitHub enforces required reviewers on a private repository only with githubPlan enterprise, and without them a pull request's preview could read the passphrase unapproved; pull requests then get the offline plan",
        fix: "remove previewReviewerUsers and previewReviewerTeams from both stack files, or pulumi config set githubPlan enterprise --stack staging",
      },
    ]);
    // On Free the plan itself is refused; where GitHub enforces reviewers, or without any, nothing is.
    expect(
      previewReviewerProblems(v({ previewReviewerTeams: ["ops"], repositoryVisibility: "private", githubPlan: "free" }), "staging"),
    ).toEqual([]);
    expect(
      previewReviewerProblems(v({ previewReviewerTeams: ["ops"], repositoryVisibility: "public", githubPlan: "team" }), "staging"),
    ).toEqual([]);
    expect(previewReviewerProblems(v({ repositoryVisibility: "private", githubPlan: "team" }), "staging")).toEqual([]);
  });

  it("refuses more than six preview reviewers in all", () => {
    const seven = v({ previewReviewerUsers: ["a", "b", "c", "d"], previewReviewerTeams: ["t", "u", "w"], repositoryVisibility: "public" });
    expect(previewReviewerProblems(seven, "production")).toEqual([
      {
        key: "previewReviewerUsers",
        value: '["a","b","c","d","t","u","w"]',
        allowed: "at most 6 preview reviewers (users and teams together), GitHub's limit",
        fix: "shorten previewReviewerUsers/previewReviewerTeams in both stack files",
      },
    ]);
    const six = v({ previewReviewerUsers: ["a", "b", "c"], previewReviewerTeams: ["t", "u", "w"], repositoryVisibility: "public" });
    expect(previewReviewerProblems(six, "production")).toEqual([]);
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

describe("deployImageProblems", () => {
  const digest = `@sha256:${"ab".repeat(32)}`;
  const own = "docker.io/zephyrlabs/tutor-api";

  it("accepts an image of the stack's own registry and repository, and judges nothing without one", () => {
    expect(deployImageProblems(v({ deployImage: `${own}${digest}` }), "production")).toEqual([]);
    expect(deployImageProblems(v({}), "production")).toEqual([]);
    expect(deployImageProblems(v({ registry: "ghcr.io", deployImage: `ghcr.io/zephyrlabs/tutor-api${digest}` }), "staging")).toEqual([]);
  });

  it.each([
    ["another repository", `docker.io/evil/tutor-api${digest}`],
    ["another repository", `docker.io/zephyrlabs/tutor-api-fork${digest}`],
    ["another registry", `evil.example.com/zephyrlabs/tutor-api${digest}`],
  ])("refuses %s (%s), keeping the digest in the fix", (other, image) => {
    const [problem, ...rest] = deployImageProblems(v({ deployImage: image }), "production");
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      key: "deployImage",
      value: image,
      message: `names ${other} (${image.slice(0, image.indexOf("@"))}) than this stack's image, ${own}`,
      fix: `pulumi config set deployImage ${own}${digest} --stack production (the digest as pushed to ${own})`,
    });
    expect(problem?.allowed).toContain(`${own}@sha256:<64 hex digits>`);
    expect(problem?.allowed).toContain("dockerhubPullToken");
  });
});

describe("crossFieldProblems", () => {
  const broken = v({ repositoryVisibility: "internal", githubPlan: "team", defaultBranch: "x", developBranch: "x" });

  it("runs every rule whose keys passed their checks, in the table's order", () => {
    expect(crossFieldRules.flatMap((r) => r.keys)).toEqual([
      "repositoryVisibility",
      "githubPlan",
      "repositoryVisibility",
      "githubPlan",
      "previewReviewerUsers",
      "previewReviewerTeams",
      "defaultBranch",
      "developBranch",
      "deployImage",
      "registry",
      "dockerhubRepository",
    ]);
    expect(crossFieldProblems(broken, "staging", { repositoryVisibility: "internal", githubPlan: "team" }).map((p) => p.key)).toEqual([
      "repositoryVisibility",
      "developBranch",
    ]);
    // The preview reviewers' rule runs between the plan's rules and the branches' (their keys have defaults).
    expect(
      crossFieldProblems(v({ ...broken, previewReviewerTeams: ["ops"] }), "staging", {
        repositoryVisibility: "internal",
        githubPlan: "team",
      }).map((p) => p.key),
    ).toEqual(["repositoryVisibility", "previewReviewerUsers", "developBranch"]);
  });

  it("skips a rule when a key it reads failed its own check and has no default", () => {
    expect(crossFieldProblems(broken, "staging", { githubPlan: "team" }).map((p) => p.key)).toEqual(["developBranch"]);
  });
});
