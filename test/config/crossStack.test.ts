// The two stacks checked together: exactly one governs, production has its own Railway environment and domain; each fix names the right stack.
import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import {
  crossStackProblems,
  governanceProblem,
  governingStack,
  ownSettings,
  sameTargetProblem,
  sharedBackendProblem,
  sharedSettings,
  siblingValue,
} from "../../src/config/crossStack";
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
    expect(sharedBackendProblem("production", {}, sibling({ stateBackendUrl: "gs://state-a" }))).toBeUndefined();
    expect(sharedBackendProblem("production", { stateBackendUrl: "gs://state-a" }, sibling({}))).toBeUndefined();
    expect(sharedBackendProblem("production", { stateBackendUrl: "gs://state-a" }, sibling({ stateBackendUrl: "" }))).toBeUndefined();
    expect(
      sharedBackendProblem("production", { stateBackendUrl: " gs://state-a" }, sibling({ stateBackendUrl: "gs://state-a " })),
    ).toBeUndefined();
  });

  it("tells the follower to take the governing stack's URL", () => {
    const follower = sharedBackendProblem(
      "production",
      { governsRepository: false, stateBackendUrl: "gs://state-b" },
      sibling({ stateBackendUrl: "gs://state-a" }),
    );
    expect(follower).toMatchObject({
      key: "stateBackendUrl",
      value: "gs://state-b",
      fix: "pulumi config set stateBackendUrl gs://state-a --stack production",
    });
    expect(follower?.allowed).toContain("which staging (the governing stack) publishes");
    const governing = sharedBackendProblem(
      "staging",
      { governsRepository: true, stateBackendUrl: "s3://state-b?region=x" },
      sibling({ stateBackendUrl: "gs://state-a" }),
    );
    expect(governing?.fix).toBe("pulumi config set stateBackendUrl 's3://state-b?region=x' --stack production");
  });

  it("takes governance from the other stack's file when this stack's value failed its check", () => {
    const problem = sharedBackendProblem(
      "staging",
      { stateBackendUrl: "gs://state-b" },
      sibling({ stateBackendUrl: "gs://state-a", governsRepository: "false" }),
    );
    expect(problem?.fix).toBe("pulumi config set stateBackendUrl gs://state-b --stack production");
    const unknown = sharedBackendProblem("staging", { stateBackendUrl: "gs://state-b" }, sibling({ stateBackendUrl: "gs://state-a" }));
    expect(unknown?.fix).toBe("pulumi config set stateBackendUrl gs://state-a --stack staging");
  });

  it("judges nothing when the other stack's URL fails its own check: its run says why, and it is no URL to copy", () => {
    const own = { governsRepository: false, stateBackendUrl: "gs://state-b" };
    expect(sharedBackendProblem("production", own, sibling({ stateBackendUrl: "s3://state-a?disableSSL=true" }))).toBeUndefined();
    expect(sharedBackendProblem("production", own, sibling({ stateBackendUrl: "postgres://u:pw@db/state" }))).toBeUndefined();
    expect(sharedBackendProblem("production", own, sibling({ stateBackendUrl: "gs://a" }))).toBeUndefined();
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
      values: { governsRepository: "true", stateBackendUrl: "gs://state-a", railwayEnvironmentId: "e", railwayDomain: "d" },
      secretKeys: [],
    };
    const own = { governsRepository: true, stateBackendUrl: "gs://state-b", railwayEnvironmentId: "e", railwayDomain: "d" };
    expect(crossStackProblems("production", own, sibling).map((p) => p.key)).toEqual([
      "governsRepository",
      "stateBackendUrl",
      "railwayEnvironmentId",
      "railwayDomain",
    ]);
  });
});

describe("ownSettings", () => {
  it("keeps the settings the rules read, and only those that passed their checks", () => {
    expect(ownSettings({ governsRepository: false, railwayDomain: "a.example.com", coverageMinimum: 80 })).toEqual({
      governsRepository: false,
      railwayDomain: "a.example.com",
    });
    expect(ownSettings({ railwayEnvironmentId: "e", stateBackendUrl: "gs://state-a" })).toEqual({
      railwayEnvironmentId: "e",
      stateBackendUrl: "gs://state-a",
    });
    expect(ownSettings({})).toEqual({});
  });
});

describe("settings both stacks hold alike", () => {
  const otherKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();

  it.each([
    [
      "repository",
      "zephyr-labs/other-api",
      "zephyr-labs/tutor-api",
      "pulumi config set repository zephyr-labs/tutor-api --stack production",
    ],
    ["deliveryAppId", "999999", "424242", "pulumi config set deliveryAppId 424242 --stack production"],
    ["previewAppId", "999999", "434343", "pulumi config set previewAppId 434343 --stack production"],
    [
      "previewReviewerUsers",
      '["octocat"]',
      "[]",
      "set it in stacks/Pulumi.production.yaml as the other stack has it: delivery-pipeline:previewReviewerUsers: []",
    ],
    [
      "previewReviewerTeams",
      '["ops"]',
      "[]",
      "set it in stacks/Pulumi.production.yaml as the other stack has it: delivery-pipeline:previewReviewerTeams: []",
    ],
  ])("refuse %s differing: production takes staging's (the governing stack's), seen from either stack", (key, value, staging, fix) => {
    const fromProduction = problemsOf(withSibling(fixtureRaw("production", { [key]: value })));
    expect(fromProduction).toEqual([
      {
        key,
        value: value.startsWith("[") ? JSON.stringify(JSON.parse(value)) : value,
        message: "differs from staging's",
        allowed: expect.stringContaining(`the same in both stacks: staging (stacks/Pulumi.staging.yaml) has ${staging}, and `) as unknown,
        fix,
      },
    ]);
    // Staging's run sees the same disagreement, and the fix is still production's.
    const fromStaging = problemsOf(withSibling(fixtureRaw("staging"), { [key]: value }));
    expect(fromStaging.map((p) => [p.key, p.fix])).toEqual([[key, fix]]);
  });

  it("say why each must agree", () => {
    const why = (key: string, value: string) => problemsOf(withSibling(fixtureRaw("production", { [key]: value })))[0]?.allowed;
    expect(why("repository", "zephyr-labs/other-api")).toContain("both stacks deliver one app repository");
    expect(why("deliveryAppId", "999999")).toContain(
      "the one repository variable DELIVERY_APP_ID, which staging (the governing stack) publishes",
    );
    expect(why("previewAppId", "999999")).toContain("PREVIEW_APP_ID");
    expect(why("previewReviewerTeams", '["ops"]')).toContain("infra-preview.yml");
  });

  it("refuse another signing key in production, whichever stack governs: staging holds the private half", () => {
    const fromProduction = problemsOf(withSibling(fixtureRaw("production", { imageSigningPublicKey: otherKey })));
    expect(fromProduction).toHaveLength(1);
    expect(fromProduction[0]).toMatchObject({
      key: "imageSigningPublicKey",
      message: "differs from staging's",
      fix: "pulumi config set imageSigningPublicKey --stack production < image-signing.pub (staging's public key, the half of its imageSigningKey)",
    });
    expect(fromProduction[0]?.allowed).toContain("staging (stacks/Pulumi.staging.yaml) names another key");
    const fromStaging = problemsOf(withSibling(fixtureRaw("staging"), { imageSigningPublicKey: otherKey }));
    expect(fromStaging.map((p) => p.fix)).toEqual([fromProduction[0]?.fix]);
  });

  it("accept what reads alike: the repository in another case, the reviewers in another order, the key in other line breaks", () => {
    expect(problemsOf(withSibling(fixtureRaw("production", { repository: "Zephyr-Labs/Tutor-API" })))).toEqual([]);
    const teams = withSibling(fixtureRaw("production", { previewReviewerTeams: '["ops","qa"]' }), { previewReviewerTeams: '["qa","ops"]' });
    expect(problemsOf(teams).filter((p) => p.key === "previewReviewerTeams")).toEqual([]);
    const key = fixtureValues.staging.imageSigningPublicKey ?? "";
    expect(problemsOf(withSibling(fixtureRaw("production", { imageSigningPublicKey: key.replace(/\n/g, "\r\n") })))).toEqual([]);
  });

  it("judge nothing against the other stack's value when it fails its own check there: that run reports it", () => {
    for (const [key, value] of [
      ["repository", "not a repository"],
      ["deliveryAppId", "12ab"],
      ["previewReviewerUsers", '["-bad-"]'],
      ["repository", "https://user:hunter2hunter2@github.com/x/y"],
    ] as const) {
      expect(problemsOf(withSibling(fixtureRaw("production"), { [key]: value }))).toEqual([]);
    }
    // Staging's preview App is its delivery App (refused there): production is not told to copy it.
    expect(problemsOf(withSibling(fixtureRaw("production"), { previewAppId: "424242" }))).toEqual([]);
  });

  it("judge nothing for a setting this stack got refused already", () => {
    const problems = problemsOf(withSibling(fixtureRaw("production", { repository: "zephyr-labs/" })));
    expect(problems.map((p) => [p.key, p.message])).toEqual([["repository", undefined]]);
  });

  it("hold every setting the workflows of both stacks read from one stack", () => {
    expect(sharedSettings.map((s) => s.key)).toEqual([
      "repository",
      "deliveryAppId",
      "previewAppId",
      "previewReviewerUsers",
      "previewReviewerTeams",
      "imageSigningPublicKey",
    ]);
  });
});

describe("siblingValue", () => {
  const sibling = (values: Record<string, string>) => ({ stack: "staging", values, secretKeys: [] });

  it("reads the other stack's value as its own run would, or its default when the file leaves it out", () => {
    expect(siblingValue("deliveryAppId", sibling({ deliveryAppId: "42" }))).toBe(42);
    expect(siblingValue("previewReviewerTeams", sibling({ previewReviewerTeams: '["ops"]' }))).toEqual(["ops"]);
    expect(siblingValue("previewReviewerTeams", sibling({}))).toEqual([]);
    expect(siblingValue("repository", sibling({}))).toBeUndefined();
    expect(siblingValue("repository", sibling({ repository: "" }))).toBeUndefined();
  });

  it("is undefined for a value that fails its own check or holds a credential", () => {
    expect(siblingValue("deliveryAppId", sibling({ deliveryAppId: "0" }))).toBeUndefined();
    expect(siblingValue("previewReviewerTeams", sibling({ previewReviewerTeams: "ops" }))).toBeUndefined();
    expect(siblingValue("repository", sibling({ repository: "ghp_0123456789abcdefghijklmnopqrstuvwxyz" }))).toBeUndefined();
  });
});

describe("governingStack", () => {
  const sibling = (values: Record<string, string>) => ({ stack: "production", values, secretKeys: [] });

  it("is this stack when it governs, the other when it does not, and from the other's file when this one's failed", () => {
    expect(governingStack("staging", { governsRepository: true }, sibling({}))).toBe("staging");
    expect(governingStack("staging", { governsRepository: false }, sibling({}))).toBe("production");
    expect(governingStack("staging", {}, sibling({ governsRepository: "false" }))).toBe("staging");
    expect(governingStack("staging", {}, sibling({ governsRepository: "true" }))).toBe("production");
  });
});
