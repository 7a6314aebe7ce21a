// A gs:// backend end to end under mocks: its one credential is published to every environment that runs pulumi, no
// other backend's, and the committed workflows hand it to pulumi under the name Pulumi's GCS backend reads.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ProgramRun } from "../../tools/plan/harness";
import { fixtureSettings, writeFixtureStackFile } from "../helpers/fixtureConfig";
import { byType, evaluate } from "../helpers/program";

// With preview reviewers (both stacks), so pull requests get an engine preview too.
const backend = { stateBackendUrl: "gs://zephyr-pulumi-state/delivery", previewReviewerUsers: '["octocat"]' };
let run: ProgramRun;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "stacks-gs-"));
  writeFixtureStackFile(dir, "production", backend);
  run = await evaluate("staging", fixtureSettings("staging", backend), false, { siblingsDir: dir });
});

describe("program with a Google Cloud Storage state backend", () => {
  it("publishes GOOGLE_CREDENTIALS, and no AWS or Pulumi Cloud credential, to the deploy, preview and drift environments", () => {
    const names = byType(run, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret").map(
      (r) => `${String(r.inputs["environment"])}/${String(r.inputs["secretName"])}`,
    );
    for (const env of ["staging", "staging-preview", "staging-drift"]) {
      expect(names).toContain(`${env}/GOOGLE_CREDENTIALS`);
      expect(names).toContain(`${env}/PULUMI_CONFIG_PASSPHRASE`);
      for (const other of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PULUMI_ACCESS_TOKEN", "AZURE_STORAGE_KEY"])
        expect(names).not.toContain(`${env}/${other}`);
    }
    const credentials = byType(run, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret").filter(
      (r) => r.inputs["secretName"] === "GOOGLE_CREDENTIALS",
    );
    expect(credentials).toHaveLength(3);
    for (const secret of credentials) expect(secret.secretPaths).toEqual(["value"]);
  });

  it("publishes the URL as PULUMI_BACKEND_URL", () => {
    const variable = byType(run, "github:index/actionsVariable:ActionsVariable").find(
      (r) => r.inputs["variableName"] === "PULUMI_BACKEND_URL",
    );
    expect(variable?.inputs["value"]).toBe(backend.stateBackendUrl);
  });

  it("commits workflows whose pulumi steps read GOOGLE_CREDENTIALS and nothing of the other backends", () => {
    const files = byType(run, "github:index/repositoryFile:RepositoryFile");
    const pulumiSteps = files
      .filter((f) =>
        [".github/workflows/deploy-staging.yml", ".github/workflows/drift.yml", ".github/workflows/infra-preview.yml"].includes(
          String(f.inputs["file"]),
        ),
      )
      .flatMap((f) => {
        const workflow = parse(String(f.inputs["content"])) as {
          jobs: Record<string, { steps?: { uses?: string; env?: Record<string, string> }[] }>;
        };
        return Object.values(workflow.jobs)
          .flatMap((j) => j.steps ?? [])
          .filter((s) => s.uses?.startsWith("pulumi/actions@") === true);
      });
    // deploy-staging's up, drift's preview and infra-preview's engine preview.
    expect(pulumiSteps).toHaveLength(3);
    for (const step of pulumiSteps) {
      expect(step.env).toMatchObject({
        GOOGLE_CREDENTIALS: "${{ secrets.GOOGLE_CREDENTIALS }}",
        PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      });
      expect(Object.keys(step.env ?? {}).filter((k) => /^(AWS_|AZURE_|PULUMI_ACCESS_TOKEN$)/.test(k))).toEqual([]);
    }
  });
});
