// The two stacks checked together: exactly one governs, production has its own Railway environment and domain; each fix names the right stack.
import { describe, expect, it } from "vitest";
import { crossStackProblems, governanceProblem, ownSettings, sameTargetProblem, sharedBackendProblem } from "../../src/config/crossStack";
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

describe("governanceProblem", () => {
  it("judges nothing when this stack's value failed its check or the other's is not a boolean", () => {
    expect(governanceProblem("staging", undefined, "true")).toBeUndefined();
    expect(governanceProblem("staging", true, undefined)).toBeUndefined();
    expect(governanceProblem("staging", true, "yes")).toBeUndefined();
  });

  it("accepts exactly one governing stack, either way round", () => {
    expect(governanceProblem("staging", true, "false")).toBeUndefined();
    expect(governanceProblem("production", true, "false")).toBeUndefined();
    expect(governanceProblem("staging", false, "true")).toBeUndefined();
  });

  it("tells production to stop when both govern, and staging to start when neither does", () => {
    expect(governanceProblem("production", true, "true")?.fix).toBe("pulumi config set governsRepository false --stack production");
    expect(governanceProblem("staging", false, "false")).toMatchObject({
      value: "false",
      fix: "pulumi config set governsRepository true --stack staging",
    });
    expect(governanceProblem("production", false, "false")?.fix).toBe(
      "pulumi config set governsRepository true --stack staging (production stays false)",
    );
    expect(governanceProblem("production", false, "false")?.allowed).toContain("staging (stacks/Pulumi.staging.yaml) sets false as well");
  });
});

describe("sharedBackendProblem", () => {
  const sibling = (values: Record<string, string>) => ({ stack: "staging", values, secretKeys: [] });

  it("judges nothing without both URLs, and accepts the same URL with spaces around it", () => {
    expect(sharedBackendProblem("production", {}, sibling({ stateBackendUrl: "gs://a" }))).toBeUndefined();
    expect(sharedBackendProblem("production", { stateBackendUrl: "gs://a" }, sibling({}))).toBeUndefined();
    expect(sharedBackendProblem("production", { stateBackendUrl: "gs://a" }, sibling({ stateBackendUrl: "" }))).toBeUndefined();
    expect(sharedBackendProblem("production", { stateBackendUrl: " gs://a" }, sibling({ stateBackendUrl: "gs://a " }))).toBeUndefined();
  });

  it("tells the follower to take the governing stack's URL", () => {
    const follower = sharedBackendProblem(
      "production",
      { governsRepository: false, stateBackendUrl: "gs://b" },
      sibling({ stateBackendUrl: "gs://a" }),
    );
    expect(follower).toMatchObject({
      key: "stateBackendUrl",
      value: "gs://b",
      fix: "pulumi config set stateBackendUrl gs://a --stack production",
    });
    expect(follower?.allowed).toContain("which staging (the governing stack) publishes");
    const governing = sharedBackendProblem(
      "staging",
      { governsRepository: true, stateBackendUrl: "s3://b?region=x" },
      sibling({ stateBackendUrl: "gs://a" }),
    );
    expect(governing?.fix).toBe("pulumi config set stateBackendUrl 's3://b?region=x' --stack production");
  });

  it("takes governance from the other stack's file when this stack's value failed its check", () => {
    const problem = sharedBackendProblem(
      "staging",
      { stateBackendUrl: "gs://b" },
      sibling({ stateBackendUrl: "gs://a", governsRepository: "false" }),
    );
    expect(problem?.fix).toBe("pulumi config set stateBackendUrl gs://b --stack production");
    const unknown = sharedBackendProblem("staging", { stateBackendUrl: "gs://b" }, sibling({ stateBackendUrl: "gs://a" }));
    expect(unknown?.fix).toBe("pulumi config set stateBackendUrl gs://a --stack staging");
  });
});

describe("sameTargetProblem", () => {
  it("refuses the same value without case or surrounding spaces, with production's fix", () => {
    expect(sameTargetProblem("staging", "railwayDomain", "App.example.com ", "app.example.com")).toEqual({
      key: "railwayDomain",
      value: "App.example.com ",
      allowed: "a domain of its own: production (stacks/Pulumi.production.yaml) uses the same, so one deploy would replace the other's",
      fix: "pulumi config set railwayDomain <the production environment's public domain, from the service's Settings > Networking> --stack production",
    });
    expect(sameTargetProblem("production", "railwayEnvironmentId", "a", "a")?.allowed).toMatch(
      /^a Railway environment of its own: staging/,
    );
  });

  it("accepts different values, and judges nothing when either is missing", () => {
    expect(sameTargetProblem("staging", "railwayDomain", "a.example.com", "b.example.com")).toBeUndefined();
    expect(sameTargetProblem("staging", "railwayDomain", undefined, "a")).toBeUndefined();
    expect(sameTargetProblem("staging", "railwayDomain", "a", undefined)).toBeUndefined();
    expect(sameTargetProblem("staging", "railwayDomain", "", "")).toBeUndefined();
  });
});

describe("crossStackProblems", () => {
  it("reports governance, backend, environment and domain, in that order", () => {
    const sibling = {
      stack: "staging",
      values: { governsRepository: "true", stateBackendUrl: "gs://a", railwayEnvironmentId: "e", railwayDomain: "d" },
      secretKeys: [],
    };
    const own = { governsRepository: true, stateBackendUrl: "gs://b", railwayEnvironmentId: "e", railwayDomain: "d" };
    expect(crossStackProblems("production", own, sibling).map((p) => p.key)).toEqual([
      "governsRepository",
      "stateBackendUrl",
      "railwayEnvironmentId",
      "railwayDomain",
    ]);
  });
});

describe("ownSettings", () => {
  it("keeps the four settings the rules read, and only those that passed their checks", () => {
    expect(ownSettings({ governsRepository: false, railwayDomain: "a.example.com", coverageMinimum: 80 })).toEqual({
      governsRepository: false,
      railwayDomain: "a.example.com",
    });
    expect(ownSettings({ railwayEnvironmentId: "e", stateBackendUrl: "gs://a" })).toEqual({
      railwayEnvironmentId: "e",
      stateBackendUrl: "gs://a",
    });
    expect(ownSettings({})).toEqual({});
  });
});
