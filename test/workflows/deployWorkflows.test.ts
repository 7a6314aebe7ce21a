import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { handedOverRevisionVariable } from "../../src/shipping";
import {
  callCheck,
  deployJob,
  deployProductionWorkflow,
  deployStagingWorkflow,
  releaseTagCheck,
  releaseTagJob,
} from "../../src/workflows/deployWorkflows";
import { isActionStep, isCallJob, type Job, type StepsJob } from "../../src/workflows/model";
import { runSync } from "../helpers/runSync";
import { appSettings } from "./appSettings";

const stepsJob = (job: Job | undefined): StepsJob => {
  if (job === undefined || isCallJob(job)) throw new Error("expected a job that runs steps");
  return job;
};
const actions = (job: StepsJob): string[] => job.steps.filter(isActionStep).map((s) => s.action);

describe("callCheck", () => {
  it("passes each declared secret by name, and no secrets key when there are none", () => {
    const secrets = { A: { description: "a", required: true }, B: { description: "b", required: false } };
    expect(callCheck("test", ".github/workflows/test.yml", secrets, ["version"])).toEqual({
      name: "test",
      needs: ["version"],
      uses: "./.github/workflows/test.yml",
      secrets: { A: "${{ secrets.A }}", B: "${{ secrets.B }}" },
      permissions: { contents: "read" },
    });
    const bare = callCheck("lint", "l.yml", {});
    expect("secrets" in bare).toBe(false);
    expect("needs" in bare).toBe(false);
  });
});

describe("deployJob", () => {
  const job = deployJob(appSettings(), "production", ["version"], "https://app.example", "${{ needs.version.outputs.tag }}");

  it("runs in the stack's environment, one update at a time, never cancelled", () => {
    expect(job.environment).toEqual({ name: "production", url: "https://app.example" });
    expect(job.concurrency).toEqual({ group: "pulumi-production", cancelInProgress: false });
    expect(job.needs).toEqual(["version"]);
  });

  it("runs pulumi up of that stack as the delivery App, handing over the revision through env", () => {
    const up = job.steps.find((s) => s.name === "pulumi up --stack production");
    expect(up && isActionStep(up) ? up.with : undefined).toMatchObject({
      command: "up",
      "stack-name": "production",
      "work-dir": "delivery",
    });
    expect(up?.env?.[handedOverRevisionVariable]).toBe("${{ needs.version.outputs.tag }}");
    expect(job.steps.find((s) => s.id === "app-token")?.name).toContain("delivery App token");
  });

  it("sets up Buildx only when the deploy may build, and notifies Slack only when it is on", () => {
    expect(actions(job)).toContain("docker/setup-buildx-action");
    expect(actions(job).at(-1)).toBe("slackapi/slack-github-action");
    const quiet = deployJob(appSettings({ deployBuilds: false, slack: false }), "staging", [], "u", "r");
    expect(actions(quiet)).not.toContain("docker/setup-buildx-action");
    expect(actions(quiet).at(-1)).toBe("pulumi/actions");
  });
});

describe("deploy-staging.yml", () => {
  it("ships the pushed commit of the default branch after test and lint of that commit", () => {
    const w = deployStagingWorkflow(appSettings({ defaultBranch: "trunk" }), "https://s");
    expect(w.on).toEqual({ push: { branches: ["trunk"] }, workflowDispatch: {} });
    expect(Object.keys(w.jobs)).toEqual(["test", "lint", "deploy"]);
    const deploy = stepsJob(w.jobs["deploy"]);
    expect(deploy.needs).toEqual(["test", "lint"]);
    expect(deploy.steps.find((s) => s.name.startsWith("pulumi up"))?.env?.[handedOverRevisionVariable]).toBe("${{ github.sha }}");
  });
});

describe("deploy-production.yml", () => {
  it("listens to full releases, and to pre-releases only when they may ship", () => {
    expect(deployProductionWorkflow(appSettings({ allowPrerelease: false }), "u").on.release).toEqual({ types: ["released"] });
    expect(deployProductionWorkflow(appSettings({ allowPrerelease: true }), "u").on.release).toEqual({ types: ["published"] });
  });

  it("checks the tag first, then tests, audits and deploys it", () => {
    const w = deployProductionWorkflow(appSettings(), "https://p");
    expect(Object.keys(w.jobs)).toEqual(["version", "test", "audit", "deploy"]);
    expect(w.jobs["test"]?.needs).toEqual(["version"]);
    expect(w.jobs["deploy"]?.needs).toEqual(["version", "test", "audit"]);
    expect(w.on.workflowDispatch?.inputs?.["version"]?.required).toBe(true);
  });
});

describe("releaseTagJob", () => {
  it("needs no grant and hands the checked tag on from the step's output", () => {
    const job = releaseTagJob();
    expect(job.permissions).toEqual({});
    expect(job.outputs).toEqual({ tag: "${{ steps.tag.outputs.tag }}" });
    expect(job.steps[0]).toMatchObject({
      id: "tag",
      run: releaseTagCheck,
      env: { TAG: "${{ inputs.version || github.event.release.tag_name }}" },
    });
  });

  it("the check passes a release tag on its own tag ref, and nothing else", () => {
    const outputFile = join(mkdtempSync(join(tmpdir(), "tag-job-")), "output");
    const check = (tag: string, ref: string): { status: number | null; output: string } => {
      writeFileSync(outputFile, "");
      const result = runSync("bash", ["-e", "-c", releaseTagCheck], {
        env: { PATH: process.env["PATH"] ?? "", TAG: tag, GITHUB_REF: ref, GITHUB_OUTPUT: outputFile },
      });
      return { status: result.status, output: readFileSync(outputFile, "utf8") };
    };
    expect(check("v3.0.1", "refs/tags/v3.0.1")).toEqual({ status: 0, output: "tag=v3.0.1\n" });
    expect(check("v3.0.1", "refs/tags/v3.0.0")).toEqual({ status: 1, output: "" });
    expect(check("3.0.1", "refs/tags/3.0.1")).toEqual({ status: 1, output: "" });
    expect(check("v3.0.1 ", "refs/tags/v3.0.1 ")).toEqual({ status: 1, output: "" });
  });
});
