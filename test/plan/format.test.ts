import { describe, expect, it } from "vitest";
import { formatPlan } from "../../tools/plan/format";
import type { RecordedResource } from "../../tools/plan/recorder";

const resource = (over: Partial<RecordedResource>): RecordedResource => ({
  type: "github:index/actionsSecret:ActionsSecret",
  name: "r",
  custom: true,
  parent: "",
  dependencies: [],
  retainOnDelete: false,
  inputs: {},
  plainInputs: {},
  secretPaths: [],
  ...over,
});

describe("formatPlan", () => {
  const text = formatPlan({
    stack: "staging",
    run: {
      resources: [
        resource({ name: "s", inputs: { secretName: "X", value: "[secret]" }, plainInputs: { secretName: "X", value: "hunter2" } }),
        resource({ type: "pulumi:providers:github", name: "p", inputs: { owner: "acme" } }),
        resource({
          type: "github:index/repositoryFile:RepositoryFile",
          name: "f",
          inputs: { file: ".github/workflows/test.yml", content: "x".repeat(300) },
        }),
        resource({ type: "delivery:index:DeliveryPipeline", name: "c", custom: false }),
      ],
      invokes: [],
      outputs: { url: "https://x", n: 1 },
      secretOutputs: [],
    },
    missingSecretCommands: ["pulumi config set --secret a --stack staging"],
    notes: ["run it as the App"],
    outDir: "plan-out/staging",
    writtenFiles: ["plan.txt"],
  });

  it("lists providers first, then resources with their inputs, components left out", () => {
    expect(text).toContain("Resources (2, plus 1 provider):");
    expect(text.indexOf("+ pulumi:github  p")).toBeLessThan(text.indexOf("+ github:ActionsSecret  s"));
    expect(text).not.toContain("DeliveryPipeline");
  });

  it("shows secrets as [secret] and never the plain value", () => {
    expect(text).toContain("value: [secret]");
    expect(text).not.toContain("hunter2");
  });

  it("summarises long content instead of printing it", () => {
    expect(text).toContain("content: (300 characters)");
  });

  it("names the secrets to set, the outputs and the written files", () => {
    expect(text).toContain("Secrets still to set (1); each command prompts for the value:\n  pulumi config set --secret a --stack staging");
    expect(text).toContain("url: https://x");
    expect(text).toContain("n: 1");
    expect(text).toContain("Written to plan-out/staging:\n  plan.txt");
    expect(text).toContain("Before `pulumi up`:\n  - run it as the App");
  });

  it("says so when no secret is missing", () => {
    const none = formatPlan({
      stack: "s",
      run: { resources: [], invokes: [], outputs: {}, secretOutputs: [] },
      missingSecretCommands: [],
      notes: [],
      outDir: ".",
      writtenFiles: [],
    });
    expect(none).toContain("every secret this stack needs is set");
    expect(none).toContain("plus 0 providers");
    expect(none).not.toContain("Before `pulumi up`");
  });
});
