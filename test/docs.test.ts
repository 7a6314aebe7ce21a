// The reference docs are generated from the code: a committed page that differs from what the generator renders now is stale.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allGithubEntries, configKeyNames, secretKeys, type GithubEntry } from "../src/config";
import {
  cell,
  defaultText,
  describeJob,
  describeTrigger,
  exampleConfig,
  markdownTable,
  plural,
  publishedTo,
  publishedWhen,
  referenceFiles,
  renderDocs,
  valueFrom,
} from "../tools/cli/renderDocs";
import { projectDir } from "./helpers/stacks";

const committed = (path: string): string => readFileSync(join(projectDir, path), "utf8");
const docs = renderDocs();
const docText = (path: string): string => docs.find((d) => d.path === path)?.content ?? "";

describe("generated reference docs", () => {
  it.each(docs.map((d) => [d.path, d.content]))(
    "%s is exactly what the code renders (run `npm run docs` after a change)",
    (path, content) => {
      expect(committed(path)).toBe(content);
    },
  );

  it("documents every setting, secret and GitHub entry, each in its own row", () => {
    for (const key of configKeyNames) expect(docText("docs/settings.md"), key).toContain(`| \`${key}\` |`);
    for (const key of secretKeys) expect(docText("docs/secrets.md"), key).toContain(`| \`${key}\` |`);
    const entryRows = docText("docs/secrets.md")
      .split("\n")
      .filter((l) => /^\| `[A-Z_]+` \| (secret|variable) \|/.test(l));
    expect(entryRows).toHaveLength(allGithubEntries.length);
  });

  it("lists every file either stack generates, with its owner", () => {
    const files = referenceFiles();
    expect(files.map((f) => [f.path, f.owner])).toEqual([
      [".github/workflows/test.yml", "the governing stack"],
      [".github/workflows/lint.yml", "the governing stack"],
      [".github/dependabot.yml", "the governing stack"],
      [".github/workflows/infra-preview.yml", "the governing stack"],
      [".github/workflows/drift.yml", "the governing stack"],
      [".github/workflows/deploy-staging.yml", "staging"],
      [".github/workflows/deploy-production.yml", "production"],
    ]);
    for (const f of files) expect(docText("docs/workflows-reference.md")).toContain(`| \`${f.path}\` | ${f.owner} |`);
  });

  it("renders from example settings, not from the user's stack files", () => {
    const staging = exampleConfig("staging", true);
    expect(staging).toMatchObject({
      stack: "staging",
      governsRepository: true,
      defaultBranch: "main",
      repository: "acme/learning-voice-agent",
    });
    expect(exampleConfig("production", false).governsRepository).toBe(false);
  });
});

describe("Markdown rendering", () => {
  it("escapes what would break a table row", () => {
    expect(cell("a | b\nc")).toBe("a \\| b c");
    expect(markdownTable(["k", "v"], [["x|y", "1"]])).toBe("| k | v |\n| --- | --- |\n| x\\|y | 1 |");
  });

  it("says 'required' or the default, JSON-encoded, or that none exists", () => {
    expect(defaultText("repository")).toBe("none: required");
    expect(defaultText("defaultBranch")).toBe('`"main"`');
    expect(defaultText("waitTimerMinutes")).toBe("`0`");
    expect(defaultText("appRevision")).toBe("not set");
  });

  it("counts steps in words", () => {
    expect(plural(1, "step")).toBe("1 step");
    expect(plural(3, "step")).toBe("3 steps");
  });
});

describe("the secrets table", () => {
  const entry = (name: string, configKey?: string): GithubEntry => {
    const found = allGithubEntries.find(
      (e) => e.name === name && (configKey === undefined || ("configKey" in e.source && e.source.configKey === configKey)),
    );
    if (found === undefined) throw new Error(`no entry ${name}`);
    return found;
  };

  it("says where each kind of entry is published", () => {
    expect(publishedTo(entry("DOCKERHUB_USERNAME"))).toBe("the repository (by the governing stack only)");
    expect(publishedTo(entry("DELIVERY_APP_PRIVATE_KEY"))).toBe("the stack's deploy environment (`staging` or `production`)");
    const readOnly = "its read-only environments (`<stack>-drift`, and `<stack>-preview` when it has preview reviewers)";
    expect(publishedTo(entry("PREVIEW_APP_PRIVATE_KEY"))).toBe(`only ${readOnly}, never its deploy environment`);
    expect(publishedTo(entry("PULUMI_CONFIG_PASSPHRASE"))).toBe(`the stack's deploy environment and ${readOnly}`);
    // Notifications: the deploy and drift environments, never the preview one.
    expect(publishedTo(entry("SLACK_WEBHOOK_URL"))).toBe("the stack's deploy environment and its `<stack>-drift` environment");
    // A shared entry names the read-only credential that replaces it in the read-only environments.
    expect(publishedTo(entry("AWS_ACCESS_KEY_ID", "awsAccessKeyId"))).toBe(
      `the stack's deploy environment and ${readOnly} (in those, \`awsPreviewAccessKeyId\` takes its place when set)`,
    );
    expect(publishedTo(entry("RAILWAY_TOKEN"))).toContain("only with `railwayTokenKind: project`");
  });

  it("says when each entry is published and where its value comes from", () => {
    expect(publishedWhen(entry("ANTHROPIC_API_KEY"))).toBe("always");
    expect(publishedWhen(entry("SLACK_WEBHOOK_URL"))).toBe("when set");
    expect(publishedWhen(entry("GOOGLE_CREDENTIALS"))).toBe("with a `gs://` `stateBackendUrl`");
    expect(publishedWhen(entry("PULUMI_BACKEND_URL"))).toBe("always");
    expect(publishedWhen(entry("PULUMI_STACK"))).toBe("always");
    const optionalVariable: GithubEntry = { ...entry("PULUMI_BACKEND_URL"), source: { configKey: "appRevision" } };
    expect(publishedWhen(optionalVariable)).toBe("when set");
    expect(valueFrom(entry("PULUMI_STACK"))).toBe("the stack's name");
    expect(valueFrom(entry("POLICY_PACK_CONFIG"))).toContain("policy pack config");
    expect(valueFrom(entry("RAILWAY_DOMAIN"))).toBe("`railwayDomain`");
  });
});

describe("the workflows reference", () => {
  it("describes each trigger with its filters", () => {
    expect(describeTrigger("push", { branches: ["main"], paths: ["app/**"] })).toBe("`push`: branches `main`; paths `app/**`");
    expect(describeTrigger("release", { types: ["released"] })).toBe("`release`: types `released`");
    expect(describeTrigger("workflow_dispatch", { inputs: { version: {} } })).toBe("`workflow_dispatch`: inputs `version`");
    expect(describeTrigger("workflow_call", { secrets: { CODECOV_TOKEN: {} } })).toBe("`workflow_call`: secrets `CODECOV_TOKEN`");
    expect(describeTrigger("schedule", [{ cron: "17 6 * * *" }])).toBe("`schedule`: cron `17 6 * * *` (UTC)");
    expect(describeTrigger("workflow_dispatch", null)).toBe("`workflow_dispatch`");
  });

  it("describes a job that runs steps and one that calls a workflow", () => {
    const steps = describeJob("deploy", {
      name: "deploy to staging",
      needs: ["test"],
      environment: { name: "staging", url: "https://x" },
      "runs-on": "ubuntu-latest",
      "timeout-minutes": 60,
      steps: [{}, {}],
      permissions: { contents: "read", "pull-requests": "write" },
      if: "always()",
      strategy: { matrix: { stack: ["staging", "production"] } },
    });
    expect(steps).toEqual([
      "`deploy`",
      "deploy to staging",
      "`test`",
      "stack: `staging`, `production`",
      "`staging`",
      "contents: read, pull-requests: write",
      "`always()`",
      "2 steps on `ubuntu-latest`, timeout 60 min",
    ]);
    expect(describeJob("test", { name: "test", uses: "./.github/workflows/test.yml", permissions: {} })).toEqual([
      "`test`",
      "test",
      "",
      "",
      "",
      "none",
      "",
      "calls `./.github/workflows/test.yml`",
    ]);
  });
});
