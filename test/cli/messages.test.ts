// Messages a new user meets first: flags, YAML mistakes, an empty stack file, an unquoted 3.10.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePlanArgs } from "../../tools/cli/plan";
import { ConfigError, toRawStackConfig, validateStackConfig, type Problem } from "../../src/config";
import { readStackSettings } from "../../src/config/stackFiles";
import { fixtureRaw, fixtureValues } from "../helpers/fixtureConfig";
import { projectDir } from "../helpers/stacks";
import { problemsOf } from "../helpers/problems";

function problemsFromFile(text: string): readonly Problem[] {
  const dir = mkdtempSync(join(tmpdir(), "stacks-msg-"));
  writeFileSync(join(dir, "Pulumi.staging.yaml"), text);
  const settings = readStackSettings(projectDir, "staging", dir);
  try {
    validateStackConfig(toRawStackConfig("staging", settings.config, (k) => settings.secretKeys.includes(k)));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("plan flags (node:util parseArgs)", () => {
  it("accepts --flag=value for every flag, --stacks-dir= included", () => {
    expect(parsePlanArgs(["--stack=production", "--stacks-dir=/tmp/variant", "--out=/tmp/o"], "/p")).toEqual({
      stack: "production",
      stacksDir: "/tmp/variant",
      outDir: "/tmp/o",
    });
  });

  it.each([
    [["--stack"], "argument missing"],
    [["--stack", "--out", "x"], "argument is ambiguous"],
    [["--stack", "staging", "--stacks-dir"], "argument missing"],
    [["--stack="], "--stack needs a value"],
    [["--stack", "staging", "--out="], "--out needs a value"],
    [["--stack", "staging", "extra"], "Unexpected argument 'extra'"],
    [[], "--stack is required"],
  ])("refuses %j", (argv, message) => {
    expect(() => parsePlanArgs(argv, "/p")).toThrow(message);
  });
});

describe("stack file messages", () => {
  it("names the file of a YAML error", () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-yaml-"));
    writeFileSync(join(dir, "Pulumi.staging.yaml"), "config:\n  delivery-pipeline:repository: [unclosed\n");
    expect(() => readStackSettings(projectDir, "staging", dir)).toThrow(`${join(dir, "Pulumi.staging.yaml")} is not valid YAML`);
  });

  it.each([
    ["an empty file", ""],
    ["a file with only a comment", "# staging\n"],
    ["an empty config:", "config:\n"],
  ])("says the config: section is missing for %s, in one problem", (_name, text) => {
    const problems = problemsFromFile(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.key).toBe("config");
    expect(problems[0]?.message).toContain("section of stacks/Pulumi.staging.yaml is missing");
  });

  it("hints to quote an unquoted 3.10, which YAML reads as 3.1", () => {
    const lines = ["config:"];
    for (const [key, value] of Object.entries(fixtureValues.staging)) lines.push(`  delivery-pipeline:${key}: ${JSON.stringify(value)}`);
    lines.push("  delivery-pipeline:pythonVersions:", "    - 3.10", '    - "3.12"');
    const problems = problemsFromFile(lines.join("\n") + "\n");
    const problem = problems.find((p) => p.key === "pythonVersions");
    expect(problem?.message).toBe("holds unquoted number (3.1)");
    expect(problem?.allowed).toContain("YAML reads unquoted 3.10 as the number 3.1");
    expect(problem?.fix).toContain('write "3.10" where you meant 3.10');
  });
});

describe("fix commands fit this stack and the value given", () => {
  it("suggests an https backend for a bad https URL, s3:// for a bad s3 one", () => {
    expect(problemsOf(fixtureRaw("staging", { stateBackendUrl: "https://" })).find((p) => p.key === "stateBackendUrl")?.fix).toBe(
      "pulumi config set stateBackendUrl https://api.pulumi.com --stack staging",
    );
    expect(problemsOf(fixtureRaw("staging", { stateBackendUrl: "s4://bucket" })).find((p) => p.key === "stateBackendUrl")?.fix).toContain(
      "s3://",
    );
  });

  it("never suggests a wait timer of 0 or staging's domain on production", () => {
    expect(problemsOf(fixtureRaw("production", { waitTimerMinutes: "five" })).find((p) => p.key === "waitTimerMinutes")?.fix).toBe(
      "pulumi config set waitTimerMinutes 5 --stack production",
    );
    const domainFix = problemsOf(fixtureRaw("production", { railwayDomain: "not a domain" })).find((p) => p.key === "railwayDomain")?.fix;
    expect(domainFix).not.toContain("staging");
  });
});
