import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, configKeyNames, requiredSecrets, validateStackConfig, type RawStackConfig } from "../../src/config";
import { closest, editDistance } from "../../src/config/didYouMean";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";
import { problemsOf } from "../helpers/problems";

const staging = rawConfig(stackWithSecrets("staging"), "staging");
const with_ = (values: Record<string, string>, base: RawStackConfig = staging): RawStackConfig => ({
  ...base,
  values: { ...base.values, ...values },
});
const without = (key: string, base: RawStackConfig = staging): RawStackConfig => ({
  ...base,
  values: Object.fromEntries(Object.entries(base.values).filter(([k]) => k !== key)),
});

describe("validateStackConfig", () => {
  it("accepts the committed stacks and types their values", () => {
    const { config, missingSecrets } = validateStackConfig(staging);
    expect(missingSecrets).toEqual([]);
    expect(config).toMatchObject({
      stack: "staging",
      governsRepository: true,
      waitTimerMinutes: 0,
      pythonVersions: ["3.11", "3.12"],
      coverageMinimum: 80,
    });
    expect(config.appRevision).toBeUndefined();
  });

  it('reports a required key left at Pulumi.yaml\'s "" as not set, with everything else wrong', () => {
    const problems = problemsOf(with_({ repository: "", coverageMinimum: "eighty", governsRepository: "" }));
    expect(problems.map((p) => [p.key, p.message ?? ""])).toEqual([
      ["coverageMinimum", ""],
      ["governsRepository", "is required but not set"],
      ["repository", "is required but not set"],
    ]);
  });

  it("accepts booleans and numbers in the quoted form the CLI writes them", () => {
    const { config } = validateStackConfig(with_({ governsRepository: "true", coverageMinimum: "85", buildImageOnPreview: "false" }));
    expect(config).toMatchObject({ governsRepository: true, coverageMinimum: 85, buildImageOnPreview: false });
  });

  it.each([
    ["repository", "acme/bad repo"],
    ["repository", "-acme/app"],
    ["repository", "acme/app/extra"],
    ["repository", "acme"],
    ["repositoryVisibility", "secret"],
    ["githubPlan", "business"],
    ["defaultBranch", "feature..x"],
    ["reviewerUsers", '["octo cat"]'],
    ["reviewerUsers", '["a","a"]'],
    ["reviewerTeams", '["Release Managers"]'],
    ["reviewerTeams", "release-managers"],
    ["waitTimerMinutes", "-1"],
    ["waitTimerMinutes", "43201"],
    ["waitTimerMinutes", "five"],
    ["deliveryAppId", "0"],
    ["governsRepository", "yes"],
    ["pythonVersions", "[]"],
    ["pythonVersions", '["2.7"]'],
    ["coverageMinimum", "101"],
    ["dockerhubUsername", "Acme"],
    ["dockerhubRepository", "docker.io/acme/app"],
    ["dockerhubRepository", "acme/app:latest"],
    ["platforms", '["linux/amd64","windows/amd64"]'],
    ["platforms", '["linux/arm64","linux/arm64"]'],
    ["platforms", '["linux/arm/v7"]'],
    ["railwayTokenKind", "personal"],
    ["railwayProjectId", "not-a-uuid"],
    ["railwayDomain", "https://app.up.railway.app"],
    ["healthCheckPath", "health"],
    ["healthCheckTimeoutSeconds", "0"],
    ["appRevision", "main"],
    ["appRevision", "abc123"],
    ["preDeployCommand", "line1\nline2"],
    ["stateBackendUrl", "s3://acme-pulumi-state"],
    ["secretMaxAgeDays", "0"],
    // Refs git refuses, or a command would read as an option.
    ["defaultBranch", ".hidden"],
    ["defaultBranch", "feature/.hidden"],
    ["developBranch", "HEAD"],
    ["developBranch", "-f"],
    ["developBranch", "release.lock"],
    ["developBranch", "a/b.lock/c"],
    ["programRef", "../../x"],
    ["programRef", "-main"],
    ["healthCheckPath", `/${"a".repeat(200)}`],
    ["secretRotatedAt", '{"railwayToken":"2026-13-45"}'],
    ["secretRotatedAt", '{"railwayToken":"2026-02-30"}'],
    ["secretRotatedAt", '{"railwayToken":"2999-01-01"}'],
    ["secretRotatedAt", '{"railwayToken":"20260101"}'],
    ["secretRotatedAt", '{"railwayToken":20260101}'],
    ["secretRotatedAt", '{"repository":"2026-01-01"}'],
  ])("rejects %s = %j with the key, the value, what is allowed and a fix", (key, value) => {
    const problems = problemsOf(with_({ [key]: value }));
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ key, value });
    expect(problem?.allowed.length).toBeGreaterThan(5);
    expect(problem?.fix).toMatch(/pulumi config set|stacks\/Pulumi\.staging\.yaml/);
  });

  it.each([
    ["appRevision", "v1.4.2"],
    ["appRevision", "0123456789abcdef0123456789abcdef01234567"],
    ["appRevision", ""],
    ["preDeployCommand", "./scripts/backup-db.sh --verbose"],
    ["stateBackendUrl", "https://api.pulumi.com"],
    ["platforms", '["linux/386"]'],
    ["reviewerTeams", '["release_managers"]'],
    ["defaultBranch", "release/1.x"],
    ["developBranch", "feature.x/head"],
    ["programRef", "v1.0.0"],
    ["programRef", "0123456789abcdef0123456789abcdef01234567"],
    ["healthCheckPath", `/${"a".repeat(199)}`],
    ["secretRotatedAt", '{"railwayToken":"2024-02-29","openaiApiKey":"2026-01-31"}'],
  ])("accepts %s = %j", (key, value) => {
    expect(problemsOf(with_({ [key]: value }))).toEqual([]);
  });

  it("lists every problem at once, with a did-you-mean for a typo", () => {
    const error = (() => {
      try {
        validateStackConfig(with_({ repository: "acme/bad repo", platforms: '["linux/sparc"]', reviewrUsers: '["octocat"]' }));
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error.problems.map((p) => p.key).sort()).toEqual(["platforms", "repository", "reviewrUsers"]);
    expect(error.message).toContain('Invalid configuration for stack "staging": 3 problems; nothing was created or changed.');
    expect(error.message).toContain("did you mean reviewerUsers?");
    expect(error.message).toContain("pulumi config rm reviewrUsers --stack staging");
    expect(error.message).toContain("pulumi config set repository acme/learning-voice-agent --stack staging");
  });

  it("reports a missing required key", () => {
    expect(problemsOf(without("railwayDomain"))).toEqual([
      expect.objectContaining({ key: "railwayDomain", value: undefined, message: "is required but not set" }),
    ]);
  });

  it("refuses a stack name other than staging or production", () => {
    expect(problemsOf({ ...staging, stack: "dev" })).toEqual([expect.objectContaining({ key: "stack", value: "dev" })]);
  });

  it("refuses a secret stored in plain text without echoing its value", () => {
    const problems = problemsOf(with_({ railwayToken: "tok-plain-123" }));
    expect(problems).toEqual([expect.objectContaining({ key: "railwayToken", value: "(hidden)" })]);
    expect(JSON.stringify(problems)).not.toContain("tok-plain-123");
    expect(problems[0]?.fix).toContain("pulumi config set --secret railwayToken --stack staging");
  });

  it("refuses plain settings stored as secrets, and unknown secrets", () => {
    const problems = problemsOf({ ...staging, secretKeys: [...staging.secretKeys, "repository", "railwayTokn"] });
    expect(problems.map((p) => [p.key, p.message])).toEqual([
      ["repository", "is stored as a secret but is plain configuration"],
      ["railwayTokn", "is not a secret of this program"],
    ]);
    expect(problems[1]?.allowed).toContain("did you mean railwayToken?");
  });

  it("refuses a preview App that is the delivery App", () => {
    const problems = problemsOf(with_({ previewAppId: staging.values["deliveryAppId"] ?? "" }));
    expect(problems.map((p) => [p.key, p.value])).toEqual([["previewAppId", "1234567"]]);
    expect(problems[0]?.fix).toContain("create a read-only GitHub App");
  });

  it("requires the signing key pair where staging builds, and neither half where it deploys a given image", () => {
    expect(problemsOf(without("imageSigningPublicKey")).map((p) => [p.key, p.message])).toEqual([
      ["imageSigningPublicKey", "is required but not set"],
    ]);
    const given = with_({ deployImage: `docker.io/acme/learning-voice-agent@sha256:${"a".repeat(64)}` }, without("imageSigningPublicKey"));
    const unsigned = (raw: RawStackConfig): RawStackConfig => ({
      ...raw,
      secretKeys: raw.secretKeys.filter((k) => k !== "imageSigningKey"),
    });
    expect(validateStackConfig(unsigned(staging)).missingSecrets).toEqual(["imageSigningKey"]);
    expect(validateStackConfig(unsigned(given)).missingSecrets).toEqual([]);
    const production = rawConfig(stackWithSecrets("production"), "production");
    expect(problemsOf(without("imageSigningPublicKey", production)).map((p) => p.key)).toEqual(["imageSigningPublicKey"]);
  });

  it("refuses the retired codecovToken, naming codecovUpload, which took its place", () => {
    const problems = problemsOf({ ...staging, secretKeys: [...staging.secretKeys, "codecovToken"] });
    expect(problems.map((p) => p.key)).toEqual(["codecovToken"]);
    expect(problems[0]?.message).toContain("codecovUpload");
    expect(problems[0]?.fix).toBe(
      "pulumi config rm codecovToken --stack staging && pulumi config set codecovUpload true --stack staging, then revoke the token in Codecov",
    );
  });

  describe("what GitHub's plans allow", () => {
    it("refuses internal visibility outside enterprise", () => {
      // The preview reviewers go too: GitHub would not enforce them there.
      expect(problemsOf(with_({ repositoryVisibility: "internal", githubPlan: "team" })).map((p) => p.key)).toEqual([
        "repositoryVisibility",
        "previewReviewerUsers",
      ]);
    });
    it("refuses a private repository on GitHub Free (no environments or rulesets there)", () => {
      expect(problemsOf(with_({ githubPlan: "free" })).map((p) => p.key)).toEqual(["githubPlan"]);
    });
    it("refuses reviewers and wait timers on a private repository below enterprise", () => {
      const production = rawConfig(stackWithSecrets("production"), "production");
      expect(problemsOf(with_({ githubPlan: "team" }, production)).map((p) => p.key)).toEqual([
        "reviewerUsers",
        "waitTimerMinutes",
        "previewReviewerUsers",
      ]);
    });
    it("allows reviewers on a public repository on any plan", () => {
      const production = rawConfig(stackWithSecrets("production"), "production");
      expect(problemsOf(with_({ githubPlan: "free", repositoryVisibility: "public" }, production))).toEqual([]);
    });
    it("refuses more than six reviewers", () => {
      const users = JSON.stringify(["a1", "a2", "a3", "a4", "a5", "a6"]);
      expect(problemsOf(with_({ reviewerUsers: users, reviewerTeams: '["t1"]' })).map((p) => p.key)).toEqual(["reviewerUsers"]);
    });
    it("requires a reviewer for production where the plan allows one", () => {
      const production = rawConfig(stackWithSecrets("production"), "production");
      expect(problemsOf(with_({ reviewerUsers: "[]", reviewerTeams: "[]" }, production)).map((p) => p.key)).toEqual(["reviewerUsers"]);
    });
    it("refuses the same branch as default and develop", () => {
      expect(problemsOf(with_({ developBranch: "main" })).map((p) => p.key)).toEqual(["developBranch"]);
    });
  });

  describe("missing secrets", () => {
    it("are returned, in catalog order, not thrown", () => {
      const { missingSecrets } = validateStackConfig({ ...staging, secretKeys: [] });
      expect(missingSecrets).toEqual([
        "railwayToken",
        "anthropicApiKey",
        "openaiApiKey",
        "pulumiConfigPassphrase",
        "awsAccessKeyId",
        "awsSecretAccessKey",
        "deliveryAppPrivateKey",
        "previewAppPrivateKey",
        "dockerhubToken",
        // Staging builds the image and marks it verified: it signs it.
        "imageSigningKey",
      ]);
    });
    it("depend on the state backend", () => {
      expect(requiredSecrets("https://api.pulumi.com")).toContain("pulumiAccessToken");
      expect(requiredSecrets("https://api.pulumi.com")).not.toContain("awsAccessKeyId");
      expect(requiredSecrets("s3://bucket")).not.toContain("pulumiAccessToken");
    });
  });

  it("suggests only near keys", () => {
    expect(closest("repositry", configKeyNames)).toBe("repository");
    expect(closest("completelyDifferent", configKeyNames)).toBeUndefined();
  });

  it("suggests what measuring every candidate would (skipping those too different in length changes nothing)", () => {
    const measuringEvery = (key: string, candidates: readonly string[]): string | undefined => {
      const distances = candidates.map((c) => editDistance(key, c));
      const best = Math.min(...distances);
      return best <= Math.max(2, Math.floor(key.length / 3)) ? candidates[distances.indexOf(best)] : undefined;
    };
    const near = fc
      .constantFrom(...configKeyNames)
      .chain((k) => fc.string({ maxLength: 3 }).map((s) => k.slice(0, k.length - s.length) + s));
    fc.assert(
      fc.property(
        fc.oneof(near, fc.string({ maxLength: 30 })),
        fc.array(fc.oneof(fc.constantFrom(...configKeyNames), fc.string())),
        (key, extra) => {
          const candidates = [...configKeyNames, ...extra];
          expect(closest(key, candidates)).toBe(measuringEvery(key, candidates));
        },
      ),
      { numRuns: 200 },
    );
  });

  describe("properties", () => {
    const anyValue = fc.oneof(
      fc.string(),
      fc.integer().map(String),
      fc.boolean().map(String),
      fc.array(fc.string()).map((a) => JSON.stringify(a)),
      fc.constant(""),
    );
    const anyKey = fc.oneof(fc.constantFrom(...configKeyNames), fc.string({ minLength: 1, maxLength: 20 }));

    it("arbitrary config either validates or throws ConfigError, never anything else", () => {
      fc.assert(
        fc.property(
          fc.dictionary(anyKey, anyValue),
          fc.array(fc.string({ maxLength: 12 })),
          fc.string({ maxLength: 12 }),
          (overrides, secretKeys, stack) => {
            try {
              validateStackConfig({ stack, values: { ...staging.values, ...overrides }, secretKeys });
            } catch (error) {
              expect(error).toBeInstanceOf(ConfigError);
              const problems = (error as ConfigError).problems;
              expect(problems.length).toBeGreaterThan(0);
              for (const p of problems) expect(p.fix.length).toBeGreaterThan(0);
            }
          },
        ),
        { numRuns: 300 },
      );
    });

    it("a single corrupted key is reported under that key", () => {
      fc.assert(
        fc.property(fc.constantFrom(...configKeyNames), fc.string(), (key, value) => {
          const problems = problemsOf(with_({ [key]: value }));
          for (const p of problems)
            expect([key, "reviewerUsers", "waitTimerMinutes", "developBranch", "githubPlan", "repositoryVisibility"]).toContain(p.key);
        }),
        { numRuns: 300 },
      );
    });
  });
});
