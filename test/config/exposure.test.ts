// A secret in plain text, under its key, a typo of it or any key, is never printed; the message says it is exposed.
import { describe, expect, it } from "vitest";
import { ConfigError, formatProblem, validateStackConfig, type RawStackConfig } from "../../src/config";
import { formatPlan } from "../../tools/plan/format";
import { fixtureRaw } from "../helpers/fixtureConfig";

// Shaped like real credentials, invented here.
const openaiKey = "sk-proj-Zq8XwV3mN7pL2kT9rY4bH6cJ1dF5gS0aE";
const githubToken = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

function errorOf(raw: RawStackConfig): ConfigError {
  try {
    validateStackConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("secrets never echo", () => {
  it("hides a plain value under a misspelt secret key, says it is exposed and points at the real key", () => {
    const error = errorOf(fixtureRaw("production", { openaiApiKeyy: openaiKey }));
    expect(error.message).not.toContain(openaiKey);
    expect(error.message).not.toContain("Zq8XwV3m");
    const [problem] = error.problems;
    expect(problem).toMatchObject({ key: "openaiApiKeyy", value: "(hidden)" });
    expect(problem?.message).toContain("exposed");
    expect(problem?.message).toContain("must be rotated");
    expect(problem?.allowed).toContain("did you mean openaiApiKey?");
    expect(problem?.fix).toBe(
      "pulumi config rm openaiApiKeyy --stack production; rotate it, then pulumi config set --secret openaiApiKey --stack production",
    );
  });

  it("hides a value under a key near a secret's even when it does not look like a credential", () => {
    const error = errorOf(fixtureRaw("staging", { dockerhubTokn: "plain-words-here" }));
    expect(error.message).not.toContain("plain-words-here");
    expect(error.problems[0]?.message).toContain("must be rotated");
  });

  it("hides a credential-looking value under an unrelated unknown key", () => {
    const error = errorOf(fixtureRaw("staging", { notes: githubToken }));
    expect(error.message).not.toContain(githubToken);
    expect(error.problems[0]?.message).toContain("looks like a GitHub token");
  });

  it("hides a credential pasted into a plain setting", () => {
    const error = errorOf(fixtureRaw("staging", { dockerhubUsername: githubToken }));
    expect(error.message).not.toContain(githubToken);
    expect(error.problems[0]).toMatchObject({ key: "dockerhubUsername", value: "(hidden)" });
    expect(error.problems[0]?.message).toContain("exposed");
  });

  it("hides a plain-text secret under its own key and says it must be rotated", () => {
    const base = fixtureRaw("staging");
    const error = errorOf({
      ...base,
      values: { ...base.values, openaiApiKey: openaiKey },
      secretKeys: base.secretKeys.filter((k) => k !== "openaiApiKey"),
    });
    expect(error.message).not.toContain(openaiKey);
    expect(error.problems[0]?.message).toContain("must be rotated");
  });

  it("hides a credential under a misspelt namespace", () => {
    const error = errorOf(fixtureRaw("staging", {}, { "delivery-pipline:openaiApiKey": openaiKey }));
    expect(error.message).not.toContain(openaiKey);
    expect(error.problems[0]?.fix).toContain("pulumi config set --secret openaiApiKey --stack staging");
  });

  it("formatProblem hides what validation would, for a problem built elsewhere", () => {
    expect(formatProblem({ key: "anthropicApiKy", value: "abc", allowed: "x", fix: "y" })).not.toContain("abc");
    expect(formatProblem({ key: "repository", value: githubToken, allowed: "x", fix: "y" })).not.toContain(githubToken);
    expect(formatProblem({ key: "repository", value: "acme/app", allowed: "x", fix: "y" })).toContain("acme/app");
  });

  it("the plan printout never shows a credential-looking input", () => {
    const text = formatPlan({
      stack: "staging",
      run: {
        resources: [
          {
            type: "github:index/actionsVariable:ActionsVariable",
            name: "v",
            custom: true,
            parent: "",
            dependencies: [],
            retainOnDelete: false,
            inputs: { value: githubToken, list: [openaiKey] },
            plainInputs: {},
            secretPaths: [],
          },
        ],
        invokes: [],
        outputs: { leaked: openaiKey },
        secretOutputs: [],
      },
      missingSecretCommands: [],
      notes: [],
      outDir: "out",
      writtenFiles: [],
    });
    expect(text).not.toContain(githubToken);
    expect(text).not.toContain(openaiKey);
    expect(text).toContain("(hidden: looks like a GitHub token; it is exposed and must be rotated)");
  });
});
