// The reviewers' summary: what they approve, and never a value of a secret or of any property.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reviewSummary } from "../../src/plans/reviewSummary";
import { parseSavedPlan } from "../../src/plans/savedPlan";

const text = readFileSync(join(__dirname, "..", "fixtures", "plans", "production-first-up.plan.json"), "utf8");
const plan = parseSavedPlan(text);
const facts = { sha256: "a".repeat(64), programCommit: "0123456789abcdef0123456789abcdef01234567" };

describe("reviewSummary", () => {
  const summary = reviewSummary("production", plan, facts);

  it("names the release, its commit, the image digest, the program's commit and the plan's sha256", () => {
    expect(summary).toMatch(/^## Production plan for v1\.4\.2\n/);
    expect(summary).toContain("| release | `v1.4.2` |");
    expect(summary).toContain("| commit | `89e6c98d92887913cadf06b2adb97f26cde4849b` |");
    expect(summary).toMatch(/\| image \| `[^`]+@sha256:8afa36db[0-9a-f]{56}` \|/);
    expect(summary).toContain(`| program commit | \`${facts.programCommit}\` |`);
    expect(summary).toContain(`| plan sha256 | \`${"a".repeat(64)}\` |`);
    expect(summary).toContain("| planned with | Pulumi v3.248.0, ");
  });

  it("says what approving means, counts the changes and lists each changed resource with its properties by name", () => {
    expect(summary).toContain("applies exactly this plan (`pulumi up --plan`), or nothing");
    expect(summary).toContain("**5 to create, 0 unchanged.**");
    expect(summary).toContain(
      "| create | `delivery-railway-deploy` | `command:local:Command` | `create`, `environment`, `logging`, `triggers` |",
    );
  });

  it("holds no value of any property: no ciphertext, no variable's value, no file's content", () => {
    expect(summary).not.toContain("ciphertext");
    expect(summary).not.toContain("v1:");
    expect(summary).not.toContain("HEALTHCHECK_PATH");
    expect(summary).not.toContain("/health");
    expect(summary).not.toMatch(/name: deploy-production/);
  });

  it("says when it does not know the program's commit, and titles a plan with no version by the stack alone", () => {
    const bare = reviewSummary("production", { ...plan, outputs: {} }, { sha256: facts.sha256, programCommit: undefined });
    expect(bare).toMatch(/^## Production plan\n/);
    expect(bare).toContain("| program commit | (unknown) |");
    expect(bare).toContain("| release | (none) |");
  });
});
