import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cloneTokenVariable, handedOverCommitVariable, handedOverRevisionVariable } from "../../src/shipping";
import { testCallPermissions } from "../../src/workflows/checkWorkflows";
import { engineCliVersion } from "../../src/workflows/pulumiSteps";
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
  it("grants the called workflow what it is given, passes no secret, and names needs only when given", () => {
    expect(callCheck("test", ".github/workflows/test.yml", testCallPermissions, ["version"])).toEqual({
      name: "test",
      needs: ["version"],
      uses: "./.github/workflows/test.yml",
      permissions: { contents: "read", "id-token": "write" },
    });
    const bare = callCheck("lint", "l.yml", { contents: "read" });
    expect(bare).toEqual({ name: "lint", uses: "./l.yml", permissions: { contents: "read" } });
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
      "pulumi-version": engineCliVersion,
      "stack-name": "production",
      "work-dir": "delivery",
    });
    expect(up?.env?.[handedOverRevisionVariable]).toBe("${{ needs.version.outputs.tag }}");
    // A tag can move: the commit the run is for goes with it, and the program refuses a moved tag.
    expect(up?.env?.[handedOverCommitVariable]).toBe("${{ github.sha }}");
    expect(job.steps.find((s) => s.id === "app-token")?.name).toContain("delivery App token");
  });

  it("hands staging no commit beside its revision: the revision is the commit", () => {
    const staging = deployJob(appSettings(), "staging", [], "u", "${{ github.sha }}");
    const up = staging.steps.find((s) => s.name === "pulumi up --stack staging");
    expect(up?.env?.[handedOverRevisionVariable]).toBe("${{ github.sha }}");
    expect(up?.env).not.toHaveProperty(handedOverCommitVariable);
  });

  it("installs the program without dev dependencies or install scripts", () => {
    expect(job.steps.find((s) => s.name === "Install the delivery program")).toMatchObject({ run: "npm ci --omit=dev --ignore-scripts" });
  });

  it("hands a build of a private repository a read-only clone token, never the App token pulumi runs with", () => {
    const up = job.steps.find((s) => s.name === "pulumi up --stack production");
    expect(up?.env?.[cloneTokenVariable]).toBe("${{ steps.clone-token.outputs.token }}");
    expect(job.steps.find((s) => s.id === "clone-token")).toMatchObject({ with: { "permission-contents": "read" } });
    const unbuilt = deployJob(appSettings({ deployBuilds: false }), "production", [], "u", "r");
    expect(unbuilt.steps.find((s) => s.id === "clone-token")).toBeUndefined();
    expect(unbuilt.steps.find((s) => s.name === "pulumi up --stack production")?.env).not.toHaveProperty(cloneTokenVariable);
    const publicRepository = deployJob(appSettings({ privateRepository: false }), "production", [], "u", "r");
    expect(publicRepository.steps.find((s) => s.id === "clone-token")).toBeUndefined();
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
    // test.yml gets the OIDC token for Codecov, lint only the checkout; neither gets a secret.
    expect(w.jobs["test"]).toEqual({ name: "test", uses: "./.github/workflows/test.yml", permissions: testCallPermissions });
    expect(w.jobs["lint"]).toEqual({ name: "lint", uses: "./.github/workflows/lint.yml", permissions: { contents: "read" } });
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

  it("checks the tag first, then tests, audits, plans and deploys it", () => {
    const w = deployProductionWorkflow(appSettings(), "https://p");
    expect(Object.keys(w.jobs)).toEqual(["version", "test", "audit", "plan", "deploy"]);
    expect(w.jobs["test"]).toEqual({
      name: "test",
      needs: ["version"],
      uses: "./.github/workflows/test.yml",
      permissions: testCallPermissions,
    });
    expect(w.jobs["audit"]).toEqual({
      name: "audit",
      needs: ["version"],
      uses: "./.github/workflows/lint.yml",
      permissions: { contents: "read" },
    });
    expect(w.jobs["plan"]?.needs).toEqual(["version", "test", "audit"]);
    expect(w.jobs["deploy"]?.needs).toEqual(["version", "test", "audit", "plan"]);
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
