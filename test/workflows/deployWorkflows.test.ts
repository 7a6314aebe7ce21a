import { mkdtempSync, readFileSync } from "node:fs";
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

  it("the check passes a release tag on its own tag ref, and nothing else, saying why", () => {
    const results = runTagChecks([
      ["v1.4.1", "refs/tags/v1.4.1"],
      ["v2.0.0-rc.1", "refs/tags/v2.0.0-rc.1"],
      ["v1.4.1", "refs/heads/main"],
      ["v1.4.1", "refs/heads/v1.4.1"],
      ["v3.0.1", "refs/tags/v3.0.0"],
      ["1.4.1", "refs/tags/1.4.1"],
      ["v3.0.1 ", "refs/tags/v3.0.1 "],
      ["v1.4.1\nevil=1", "refs/tags/v1.4.1"],
    ]);
    expect(results.map(({ status, output }) => ({ status, output }))).toEqual([
      { status: 0, output: "tag=v1.4.1\n" },
      { status: 0, output: "tag=v2.0.0-rc.1\n" },
      ...Array.from({ length: 6 }, () => ({ status: 1, output: "" })),
    ]);
    for (const { status, printed } of results) {
      if (status === 0) expect(printed).toBe("");
      else expect(printed).toMatch(/^::error::/);
    }
  });
});

/**
 * Runs `releaseTagCheck` once per case as the runner runs a step, `bash -e -c <script>` with only PATH, TAG,
 * GITHUB_REF and an empty GITHUB_OUTPUT set; all cases from one bash process, with runSync's /dev/null
 * as standard input (so no ~/.bashrc runs). Each case's status, what it wrote to GITHUB_OUTPUT and what it printed.
 */
function runTagChecks(cases: readonly (readonly [tag: string, ref: string])[]): { status: number; output: string; printed: string }[] {
  const dir = mkdtempSync(join(tmpdir(), "tag-job-"));
  const caseEnv = Object.fromEntries(
    cases.flatMap(([tag, ref], i) => [
      [`TAG_${String(i)}`, tag],
      [`REF_${String(i)}`, ref],
    ]),
  );
  const driver = [
    `for i in $(seq 0 ${String(cases.length - 1)}); do`,
    '  tag="TAG_$i"; ref="REF_$i"; : > "$DIR/$i.output"',
    '  env -i PATH="$PATH" TAG="${!tag}" GITHUB_REF="${!ref}" GITHUB_OUTPUT="$DIR/$i.output" bash -e -c "$SCRIPT" > "$DIR/$i.printed" 2>&1',
    '  echo "$?" > "$DIR/$i.status"',
    "done",
  ].join("\n");
  const result = runSync("bash", ["-c", driver], {
    env: { PATH: process.env["PATH"] ?? "", DIR: dir, SCRIPT: releaseTagCheck, ...caseEnv },
  });
  expect(result.status, result.stderr).toBe(0);
  return cases.map((_, i) => {
    const read = (what: string) => readFileSync(join(dir, `${String(i)}.${what}`), "utf8");
    return { status: Number(read("status")), output: read("output"), printed: read("printed") };
  });
}
