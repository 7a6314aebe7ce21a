// The Actions allow-list is exactly what the generated workflows run: read back from the rendered YAML, not the model.
import { describe, expect, it } from "vitest";
import { secretKeys, validateStackConfig, type StackConfig } from "../../src/config";
import { actionsRunInside, allowedActionPatterns, compositeActions } from "../../src/workflows/allowedActions";
import { generatedFiles } from "../../src/workflows/files";
import { renderProgramCi } from "../../src/workflows/programWorkflow";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const configOf = (stack: string, secrets: readonly (typeof secretKeys)[number][], overrides: Record<string, string> = {}): StackConfig =>
  validateStackConfig(rawConfig(stackWithSecrets(stack, secrets, overrides), stack)).config;

/** `owner/name` of every `uses:` in the rendered files (reusable workflows of the same repository left out). */
function usedIn(contents: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const content of contents) for (const [, name] of content.matchAll(/^\s*(?:- )?uses: ([^.\s][^@\s]*)@/gm)) used.add(name ?? "");
  return used;
}

/** What runs in the app repository: both stacks' files, and the program's own CI when it lives there. */
function runIn(staging: StackConfig, production: StackConfig): Set<string> {
  const contents = [...generatedFiles(staging), ...generatedFiles(production)].map((f) => f.content);
  if (staging.programRepository === undefined) contents.push(renderProgramCi(staging));
  const used = usedIn(contents);
  for (const name of [...used]) for (const inner of actionsRunInside[name as keyof typeof actionsRunInside] ?? []) used.add(inner);
  return used;
}

const patterns = (names: Iterable<string>): string[] => [...names].map((n) => `${n}@*`).sort();

describe("the Actions allow-list", () => {
  it("allows exactly what both stacks' workflows run with every option on, and what Codecov's action runs inside", () => {
    const staging = configOf("staging", secretKeys, { buildImageOnPreview: "true", codecovUpload: "true" });
    const production = configOf("production", secretKeys, { buildUnverifiedRelease: "true", buildImageOnPreview: "true" });
    const allowed = allowedActionPatterns(staging);
    expect(allowed).toEqual(patterns(runIn(staging, production)));
    // Composite: GitHub checks its inner steps against the same list, so an upload would fail without it.
    expect(allowed).toContain("actions/github-script@*");
  });

  it("still allows what the other stack may turn on (its deploy build, Slack) when this stack's files do not run it", () => {
    const quiet = secretKeys.filter((k) => k !== "slackWebhookUrl");
    const staging = configOf("staging", quiet);
    const production = configOf("production", secretKeys, { buildUnverifiedRelease: "true" });
    expect(usedIn(generatedFiles(staging).map((f) => f.content))).not.toContain("slackapi/slack-github-action");
    const allowed = allowedActionPatterns(staging);
    for (const name of runIn(staging, production)) expect(allowed).toContain(`${name}@*`);
    expect(allowed).toContain("slackapi/slack-github-action@*");
  });

  it("leaves Codecov and what it runs out when the governing stack uploads no coverage", () => {
    const allowed = allowedActionPatterns(configOf("staging", secretKeys, { codecovUpload: "false" }));
    expect(allowed).not.toContain("codecov/codecov-action@*");
    expect(allowed).not.toContain("actions/github-script@*");
    expect(allowed).toContain("actions/checkout@*");
  });

  it("never allows a pinned action no workflow runs", () => {
    const allowed = allowedActionPatterns(configOf("staging", secretKeys, { buildImageOnPreview: "true" }));
    expect(allowed).not.toContain("actions/cache@*");
    expect(allowed).not.toContain("docker/login-action@*");
  });

  it("knows what every composite action of the pin table runs inside", () => {
    expect(Object.keys(actionsRunInside).sort()).toEqual(compositeActions());
    expect(compositeActions()).toContain("codecov/codecov-action");
  });
});
