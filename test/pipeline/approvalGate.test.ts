// Production with no approval gate (private repository below Enterprise) is warned about in the plan notes, with how to get one.
import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { approvalGateWarning, buildPipelineSpec, planNotes } from "../../src/pipeline";
import { fixtureRaw } from "../helpers/fixtureConfig";

const ungated = { repositoryVisibility: "private", githubPlan: "team", reviewerUsers: "[]", waitTimerMinutes: "0" };
const spec = (stack: "staging" | "production", overrides: Record<string, string> = {}) =>
  buildPipelineSpec(validateStackConfig(fixtureRaw(stack, overrides)).config);

describe("approval gate", () => {
  it("warns when production on a private Team repository has neither reviewers nor a wait timer", () => {
    const warning = approvalGateWarning(spec("production", ungated));
    expect(warning).toContain("Production has no approval gate: the private repository zephyr-labs/tutor-api is below GitHub Enterprise");
    expect(warning).toContain("pulumi config set githubPlan enterprise --stack production");
    expect(warning).toContain("pulumi config set repositoryVisibility public");
    expect(planNotes(spec("production", ungated))[0]).toBe(warning);
  });

  it("stays quiet for a gated production and for staging", () => {
    expect(approvalGateWarning(spec("production"))).toBeUndefined();
    expect(
      approvalGateWarning(spec("production", { ...ungated, githubPlan: "enterprise", reviewerUsers: '["maintainer-one"]' })),
    ).toBeUndefined();
    expect(approvalGateWarning(spec("staging", { repositoryVisibility: "private", githubPlan: "team" }))).toBeUndefined();
  });
});
