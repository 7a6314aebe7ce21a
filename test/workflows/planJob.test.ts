// deploy-production.yml's plan job and the deploy job's use of its plan: the jobs' shape, and the two
// scripts run in bash as a runner runs a step (`bash -e -c`), against real files.
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planEnvironmentName } from "../../src/pipeline";
import { deployProductionWorkflow, deployStagingWorkflow } from "../../src/workflows/deployWorkflows";
import { isActionStep, isCallJob, type Job, type StepsJob } from "../../src/workflows/model";
import { planEnvironment, planFetch, planHashCheck, planRecord } from "../../src/workflows/planJob";
import { projectDir } from "../engine/workspace";
import { runSync } from "../helpers/runSync";
import { appSettings } from "./appSettings";

const stepsJob = (job: Job | undefined): StepsJob => {
  if (job === undefined || isCallJob(job)) throw new Error("expected a job that runs steps");
  return job;
};
const fixturePlan = join(projectDir, "test", "fixtures", "plans", "production-first-up.plan.json");
const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("the plan job", () => {
  const workflow = deployProductionWorkflow(appSettings(), "https://p");
  const plan = stepsJob(workflow.jobs["plan"]);

  it("runs in the plan environment the stack declares, reading only, after the tag check, tests and audit", () => {
    expect(planEnvironment).toBe(planEnvironmentName("production"));
    expect(plan.environment).toEqual({ name: "production-plan" });
    expect(plan.permissions).toEqual({ contents: "read" });
    expect(plan.needs).toEqual(["version", "test", "audit"]);
    expect(plan.outputs).toEqual({
      sha256: "${{ steps.plan-record.outputs.sha256 }}",
      "program-commit": "${{ steps.plan-record.outputs.program-commit }}",
      "artifact-id": "${{ steps.plan-artifact.outputs.artifact-id }}",
    });
  });

  it("mints the read-only App's token, never the delivery App's, and installs without cache or dev dependencies", () => {
    const text = JSON.stringify(plan);
    expect(text).toContain("PREVIEW_APP_PRIVATE_KEY");
    expect(text).not.toContain("DELIVERY_APP_PRIVATE_KEY");
    expect(text).not.toContain("RAILWAY");
    expect(plan.steps.find((s) => s.name === "Install the delivery program")).toMatchObject({ run: "npm ci --omit=dev --ignore-scripts" });
    expect(plan.steps.find((s) => s.name === "Set up Node.js")).toMatchObject({ with: { "package-manager-cache": false } });
  });

  it("saves the plan of the release the run is for, hashes and summarises it, and keeps it in an artifact of this attempt", () => {
    const preview = plan.steps.filter(isActionStep).find((s) => s.action === "pulumi/actions");
    expect(preview?.with).toMatchObject({
      command: "preview",
      "stack-name": "production",
      plan: "${{ runner.temp }}/production-plan/plan.json",
    });
    expect(preview?.env).toMatchObject({
      DELIVERY_APP_REVISION: "${{ needs.version.outputs.tag }}",
      DELIVERY_APP_REVISION_SHA: "${{ github.sha }}",
    });
    const names = plan.steps.map((s) => s.name);
    expect(names.slice(-3)).toEqual([
      "pulumi preview --save-plan --stack production",
      "Hash the plan and summarise it for the reviewers",
      "Keep the plan for the deploy job",
    ]);
    expect(plan.steps.at(-1)).toMatchObject({
      id: "plan-artifact",
      action: "actions/upload-artifact",
      with: { name: "production-plan-${{ github.run_attempt }}", "if-no-files-found": "error" },
    });
  });
});

describe("the production deploy job", () => {
  const deploy = stepsJob(deployProductionWorkflow(appSettings(), "https://p").jobs["deploy"]);

  it("fetches the approved plan and checks its hash before anything else, then applies that plan", () => {
    expect(deploy.needs).toContain("plan");
    expect(deploy.permissions).toEqual({ contents: "read", actions: "read" });
    expect(deploy.steps.slice(0, 2)).toEqual([
      {
        name: "Fetch the plan the reviewers approved",
        run: planFetch,
        env: { GH_TOKEN: "${{ github.token }}", PLAN_ARTIFACT_ID: "${{ needs.plan.outputs.artifact-id }}" },
      },
      { name: "Check the plan is the one the plan job made", run: planHashCheck, env: { PLAN_SHA256: "${{ needs.plan.outputs.sha256 }}" } },
    ]);
    const up = deploy.steps.filter(isActionStep).find((s) => s.action === "pulumi/actions");
    expect(up?.with).toMatchObject({ command: "up", plan: "${{ runner.temp }}/production-plan/plan.json" });
  });

  it("checks out the program's own repository at the commit the plan was made from", () => {
    const own = appSettings({ program: { repository: "acme/delivery-pipeline", ref: "main", path: "delivery" } });
    const ownDeploy = stepsJob(deployProductionWorkflow(own, "https://p").jobs["deploy"]);
    const checkout = ownDeploy.steps.filter(isActionStep).find((s) => s.action === "actions/checkout");
    expect(checkout?.with).toMatchObject({ repository: "acme/delivery-pipeline", ref: "${{ needs.plan.outputs.program-commit }}" });
    const planCheckout = stepsJob(deployProductionWorkflow(own, "https://p").jobs["plan"])
      .steps.filter(isActionStep)
      .find((s) => s.action === "actions/checkout");
    expect(planCheckout?.with).toMatchObject({ ref: "main" });
  });

  it("staging applies no plan: it deploys the default branch as it comes", () => {
    const staging = stepsJob(deployStagingWorkflow(appSettings(), "https://s").jobs["deploy"]);
    expect(JSON.stringify(staging)).not.toContain("plan");
    expect(staging.permissions).toEqual({ contents: "read" });
  });
});

/** One bash step as the runner runs it, in an empty environment but PATH and `env`. */
function step(script: string, env: Readonly<Record<string, string>>, cwd?: string) {
  const result = runSync("bash", ["-e", "-c", script], {
    env: { PATH: process.env["PATH"] ?? "", ...env },
    ...(cwd === undefined ? {} : { cwd }),
  });
  return { status: result.status, printed: `${result.stdout}${result.stderr}` };
}

describe("the deploy job's hash check", () => {
  const temp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "plan-check-"));
    mkdirSync(join(dir, "production-plan"));
    copyFileSync(fixturePlan, join(dir, "production-plan", "plan.json"));
    return dir;
  };

  it("passes the plan whose sha256 the plan job handed over", () => {
    const dir = temp();
    const result = step(planHashCheck, { RUNNER_TEMP: dir, PLAN_SHA256: sha256(fixturePlan) });
    expect(result).toEqual({ status: 0, printed: `applying the approved plan, sha256 ${sha256(fixturePlan)}\n` });
  });

  it("refuses a plan changed by one byte, naming both hashes and what to do; nothing runs after it", () => {
    const dir = temp();
    const file = join(dir, "production-plan", "plan.json");
    writeFileSync(file, readFileSync(file, "utf8").replace("v1.4.2", "v1.4.3"));
    const result = step(`${planHashCheck}\necho AFTER`, { RUNNER_TEMP: dir, PLAN_SHA256: sha256(fixturePlan) });
    expect(result.status).toBe(1);
    expect(result.printed).toBe(
      `::error::the plan file has sha256 ${sha256(file)}, not ${sha256(fixturePlan)}, the plan the reviewers approved: nothing was applied. Re-run all jobs of this run for a new plan and approval.\n`,
    );
  });

  it("refuses when the plan job handed over no hash, or one that is not a sha256, and when the file is missing", () => {
    const dir = temp();
    for (const given of ["", "abc", `${sha256(fixturePlan)}\nx`, sha256(fixturePlan).toUpperCase()]) {
      const result = step(planHashCheck, { RUNNER_TEMP: dir, PLAN_SHA256: given });
      expect(result.status, given).toBe(1);
      expect(result.printed).toMatch(/^::error::the plan job handed over no plan hash/);
    }
    const missing = step(planHashCheck, { RUNNER_TEMP: join(dir, "nowhere"), PLAN_SHA256: sha256(fixturePlan) });
    expect(missing.status).toBe(1);
    expect(missing.printed).toMatch(/^::error::no plan file at .*nowhere\/production-plan\/plan\.json: nothing was applied/);
  });
});

describe("the deploy job's fetch of the plan", () => {
  /** A `gh` first on PATH that answers the artifact's zip, or fails as gh does on a 404 (an expired artifact). */
  const fakeGh = (dir: string, zip: string | undefined): string => {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const body = zip === undefined ? 'echo "gh: Not Found (HTTP 404)" >&2; exit 1' : `cat '${zip}'`;
    writeFileSync(join(bin, "gh"), `#!/bin/sh\n[ "$1 $2" = "api repos/acme/app/actions/artifacts/4242/zip" ] || exit 9\n${body}\n`, {
      mode: 0o755,
    });
    return `${bin}:${process.env["PATH"] ?? ""}`;
  };
  const env = (dir: string, path: string, id: string) => ({
    RUNNER_TEMP: dir,
    PATH: path,
    GITHUB_REPOSITORY: "acme/app",
    PLAN_ARTIFACT_ID: id,
  });

  it("unpacks the artifact it names by id, so the hash check finds the plan", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-fetch-"));
    const zip = join(dir, "artifact.zip");
    const made = runSync("python3", [
      "-c",
      "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'w'); z.write(sys.argv[2], 'plan.json'); z.close()",
      zip,
      fixturePlan,
    ]);
    expect(made.status, made.stderr).toBe(0);
    const fetched = runSync("bash", ["-e", "-c", planFetch], { env: env(dir, fakeGh(dir, zip), "4242") });
    expect(fetched.status, fetched.stderr).toBe(0);
    expect(sha256(join(dir, "production-plan", "plan.json"))).toBe(sha256(fixturePlan));
  });

  it("refuses a missing artifact id, and an artifact GitHub no longer has, saying what to do", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-fetch-"));
    const path = fakeGh(dir, undefined);
    const none = runSync("bash", ["-e", "-c", planFetch], { env: env(dir, path, "") });
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/^::error::the plan job handed over no plan artifact \(""\): nothing was applied\. Re-run all jobs/);
    const gone = runSync("bash", ["-e", "-c", planFetch], { env: env(dir, path, "4242") });
    expect(gone.status).toBe(1);
    expect(gone.stdout).toMatch(
      /^::error::the plan artifact 4242 could not be fetched \(it expires 30 days after the plan\): nothing was applied/,
    );
  });
});

describe("the plan job's record step", () => {
  it("hands over the plan's sha256 and the program's commit, and writes the reviewers' summary to the job summary", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-record-"));
    mkdirSync(join(dir, "production-plan"));
    copyFileSync(fixturePlan, join(dir, "production-plan", "plan.json"));
    const output = join(dir, "output");
    const summary = join(dir, "summary");
    writeFileSync(output, "");
    writeFileSync(summary, "");
    // Run where the program is checked out: this project, a git work tree with the plan-summary script.
    const result = step(planRecord, { RUNNER_TEMP: dir, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, HOME: dir }, projectDir);
    expect(result.status, result.printed).toBe(0);
    const head = runSync("git", ["rev-parse", "HEAD"], { cwd: projectDir }).stdout.trim();
    expect(readFileSync(output, "utf8")).toBe(`sha256=${sha256(fixturePlan)}\nprogram-commit=${head}\n`);
    const written = readFileSync(summary, "utf8");
    expect(written).toMatch(/^## Production plan for v1\.4\.2\n/);
    expect(written).toContain(`| plan sha256 | \`${sha256(fixturePlan)}\` |`);
    expect(written).toContain(`| program commit | \`${head}\` |`);
    expect(readFileSync(join(dir, "production-plan", "summary.md"), "utf8")).toBe(written);
  });
});
