// Problems with the stack's keys rather than one value, piece by piece: the stack name, keys in a namespace
// nothing reads (and the fix for each kind of key they meant), misfiled secrets and unset required settings.
import { describe, expect, it } from "vitest";
import { configKeyNames, configKeys } from "../../src/config";
import {
  foreignKeyProblem,
  misfiledSecretProblem,
  misnamespacedFix,
  nearestKey,
  unknownStackProblem,
  unsetProblems,
} from "../../src/config/keyProblems";
import { fixtureValues } from "../helpers/fixtureConfig";

const githubToken = `ghp_${"b".repeat(36)}`;

describe("unknownStackProblem", () => {
  it("names the two stacks and how to pick one", () => {
    expect(unknownStackProblem("dev")).toEqual({
      key: "stack",
      value: "dev",
      allowed: "staging or production",
      fix: "pulumi stack select staging (or pulumi stack init production)",
    });
  });
});

describe("nearestKey", () => {
  it("corrects the project's namespace and the key in it", () => {
    expect(nearestKey("delivery-pipline:waitTimerMinuts")).toEqual({
      namespace: "delivery-pipline",
      nearNamespace: "delivery-pipeline",
      nearKey: "waitTimerMinutes",
    });
  });

  it("corrects only the namespace of a provider's key", () => {
    expect(nearestKey("gihub:token")).toEqual({ namespace: "gihub", nearNamespace: "github", nearKey: "token" });
  });

  it("has nothing near for an unrelated namespace or key", () => {
    expect(nearestKey("acme:x").nearNamespace).toBeUndefined();
    expect(nearestKey("delivery-pipline:zzz").nearKey).toBeUndefined();
  });
});

describe("misnamespacedFix", () => {
  const remove = "pulumi config rm delivery-pipline:k --stack staging";
  it("moves a secret with its own command, or rotates it when exposed", () => {
    expect(misnamespacedFix("delivery-pipline:k", "railwayToken", undefined, false, "staging")).toBe(
      `${remove} && pulumi config set --secret railwayToken --stack staging`,
    );
    expect(misnamespacedFix("delivery-pipline:k", "railwayToken", "x", true, "staging")).toBe(
      `${remove}; rotate it, then pulumi config set --secret railwayToken --stack staging`,
    );
  });

  it("rotates an exposed plain value instead of moving it", () => {
    expect(misnamespacedFix("delivery-pipline:k", "repository", githubToken, true, "staging")).toBe(
      `${remove}; rotate it, then set repository to the new value`,
    );
  });

  it("renames a list or map in the stack file, moves a plain value with its command, else only removes", () => {
    expect(misnamespacedFix("delivery-pipline:k", "reviewerUsers", '["a"]', false, "staging")).toBe(
      "rename it to delivery-pipeline:reviewerUsers in stacks/Pulumi.staging.yaml",
    );
    expect(misnamespacedFix("delivery-pipline:k", "waitTimerMinutes", "5 ", false, "staging")).toBe(
      `${remove} && pulumi config set waitTimerMinutes '5 ' --stack staging`,
    );
    expect(misnamespacedFix("delivery-pipline:k", "waitTimerMinutes", undefined, false, "staging")).toBe(remove);
  });
});

describe("foreignKeyProblem", () => {
  it("says the namespace is read by nothing, with the near key and its fix", () => {
    expect(foreignKeyProblem("delivery-pipline:waitTimerMinutes", "5", "production")).toEqual({
      key: "delivery-pipline:waitTimerMinutes",
      value: "5",
      allowed:
        "keys of this program (delivery-pipeline:<key>, listed in Pulumi.yaml) or of the providers it uses (github:, docker:, docker-build:, command:, pulumi:); did you mean delivery-pipeline:waitTimerMinutes?",
      fix: "pulumi config rm delivery-pipline:waitTimerMinutes --stack production && pulumi config set waitTimerMinutes 5 --stack production",
      message: 'is in the namespace "delivery-pipline", which nothing reads: the setting is ignored',
    });
  });

  it("renames a provider's key into the provider's namespace", () => {
    expect(foreignKeyProblem("gihub:owner", "acme", "staging").fix).toBe("rename it to github:owner in stacks/Pulumi.staging.yaml");
  });

  it("only removes a key near nothing, and shows a secret's value as (secret)", () => {
    const problem = foreignKeyProblem("acme:x", undefined, "staging");
    expect(problem).toMatchObject({ value: "(secret)", fix: "pulumi config rm acme:x --stack staging" });
    expect(problem.allowed).not.toContain("did you mean");
  });

  it("hides an exposed credential and says it must be rotated", () => {
    const problem = foreignKeyProblem("acme:x", githubToken, "staging");
    expect(problem.value).toBe("(hidden)");
    expect(problem.message).toContain("; and it holds what looks like a GitHub token in plain text");
  });
});

describe("misfiledSecretProblem", () => {
  it("tells a plain setting stored as a secret to be set in plain", () => {
    expect(misfiledSecretProblem("repository", "staging")).toEqual({
      key: "repository",
      value: "(secret)",
      allowed: "a plain value: this setting is not a secret",
      fix: "pulumi config set repository <value> --stack staging",
      message: "is stored as a secret but is plain configuration",
    });
  });

  it("removes an unknown secret, suggesting the near one if any", () => {
    expect(misfiledSecretProblem("openaiApiKy", "staging")).toMatchObject({
      allowed: "only the secret keys listed in docs/secrets.md (did you mean openaiApiKey?)",
      fix: "pulumi config rm openaiApiKy --stack staging",
      message: "is not a secret of this program",
    });
    expect(misfiledSecretProblem("zzz", "staging").allowed).toBe("only the secret keys listed in docs/secrets.md");
  });

  it("names what replaced a retired secret, and how to remove it", () => {
    expect(misfiledSecretProblem("codecovToken", "production")).toEqual({
      key: "codecovToken",
      value: "(secret)",
      allowed: "no such secret",
      fix: "pulumi config rm codecovToken --stack production && pulumi config set codecovUpload true --stack production, then revoke the token in Codecov",
      message:
        "is no longer used: a repository secret is readable by a workflow on any branch, so test.yml now uploads to Codecov with GitHub's OIDC token instead (codecovUpload)",
    });
  });

  it.each(["constructor", "__proto__", "toString"])("reads %s as an unknown secret, not as a retired one", (key) => {
    expect(misfiledSecretProblem(key, "staging")).toMatchObject({
      fix: `pulumi config rm ${key} --stack staging`,
      message: "is not a secret of this program",
    });
  });
});

describe("unsetProblems", () => {
  const required = configKeyNames.filter((key) => configKeys[key].required);

  it("has none when every required key is set", () => {
    expect(unsetProblems(fixtureValues.staging, "staging", true)).toEqual([]);
  });

  it("reports each required key that is absent or empty", () => {
    const values: Record<string, string> = { ...fixtureValues.staging, repository: "", railwayDomain: "" };
    delete values["githubPlan"];
    expect(unsetProblems(values, "staging", true).map((p) => [p.key, p.message, p.fix])).toEqual([
      ["repository", "is required but not set", "pulumi config set repository acme/learning-voice-agent --stack staging"],
      ["githubPlan", "is required but not set", "pulumi config set githubPlan team --stack staging"],
      ["railwayDomain", "is required but not set", "pulumi config set railwayDomain voice-agent-staging.up.railway.app --stack staging"],
    ]);
  });

  it("says once that the config section is missing when nothing required is set", () => {
    const problems = unsetProblems({ waitTimerMinutes: "3" }, "production", true);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      key: "config",
      value: undefined,
      message: "section of stacks/Pulumi.production.yaml is missing or sets none of the required settings",
    });
    expect(problems[0]?.allowed).toContain(required.join(", "));
  });

  it("lists each key instead for an unknown stack, whose file is not the one to write", () => {
    expect(unsetProblems({}, "dev", false)).toHaveLength(required.length);
  });
});
