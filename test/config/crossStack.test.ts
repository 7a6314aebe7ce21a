// The two stacks checked together: exactly one governs, production has its own Railway environment and domain; each fix names the right stack.
import { describe, expect, it } from "vitest";
import { fixtureRaw, fixtureValues, withSibling } from "../helpers/fixtureConfig";
import { problemsOf } from "../helpers/problems";

describe("cross-stack rules", () => {
  it("accept a well-formed pair, seen from either stack", () => {
    expect(problemsOf(withSibling(fixtureRaw("staging")))).toEqual([]);
    expect(problemsOf(withSibling(fixtureRaw("production")))).toEqual([]);
  });

  it("refuse both stacks governing: production is told to stop, staging is told production must", () => {
    const fromProduction = problemsOf(withSibling(fixtureRaw("production", { governsRepository: "true" })));
    expect(fromProduction).toHaveLength(1);
    expect(fromProduction[0]).toMatchObject({
      key: "governsRepository",
      value: "true",
      fix: "pulumi config set governsRepository false --stack production",
    });
    expect(fromProduction[0]?.allowed).toContain("staging (stacks/Pulumi.staging.yaml) sets true as well");
    const fromStaging = problemsOf(withSibling(fixtureRaw("staging"), { governsRepository: "true" }));
    expect(fromStaging[0]?.fix).toBe(
      "pulumi config set governsRepository false --stack production (staging keeps governing the repository)",
    );
  });

  it("refuse neither stack governing: the fix is true on staging, never on production", () => {
    const fromProduction = problemsOf(withSibling(fixtureRaw("production"), { governsRepository: "false" }));
    expect(fromProduction).toHaveLength(1);
    expect(fromProduction[0]).toMatchObject({ key: "governsRepository", value: "false" });
    expect(fromProduction[0]?.fix).toBe("pulumi config set governsRepository true --stack staging (production stays false)");
    expect(fromProduction[0]?.allowed).toContain("no stack writes test.yml");
    const fromStaging = problemsOf(withSibling(fixtureRaw("staging", { governsRepository: "false" })));
    expect(fromStaging[0]?.fix).toBe("pulumi config set governsRepository true --stack staging");
  });

  it("refuse production pointed at staging's Railway environment and domain, with the fix on production", () => {
    const copied = {
      railwayEnvironmentId: fixtureValues.staging.railwayEnvironmentId ?? "",
      railwayDomain: fixtureValues.staging.railwayDomain ?? "",
    };
    const problems = problemsOf(withSibling(fixtureRaw("production", copied)));
    expect(problems.map((p) => [p.key, p.value])).toEqual([
      ["railwayEnvironmentId", copied.railwayEnvironmentId],
      ["railwayDomain", copied.railwayDomain],
    ]);
    for (const p of problems)
      expect(p.fix).toMatch(/^pulumi config set railway(EnvironmentId|Domain) <the production environment's .*> --stack production$/);
    // Seen from staging, the same mistake is production's to fix.
    const fromStaging = problemsOf(withSibling(fixtureRaw("staging"), copied));
    expect(fromStaging.map((p) => p.key)).toEqual(["railwayEnvironmentId", "railwayDomain"]);
    for (const p of fromStaging) expect(p.fix).toContain("--stack production");
  });

  it("without the other stack's file, judge this stack alone", () => {
    expect(problemsOf(fixtureRaw("production", { governsRepository: "true" }))).toEqual([]);
  });

  it("suggest false, not true, for production's missing governsRepository", () => {
    const raw = fixtureRaw("production");
    const problems = problemsOf({
      ...raw,
      values: Object.fromEntries(Object.entries(raw.values).filter(([k]) => k !== "governsRepository")),
    });
    expect(problems.find((p) => p.key === "governsRepository")?.fix).toBe("pulumi config set governsRepository false --stack production");
  });
});
