import { describe, expect, it } from "vitest";
import { stackNames } from "../../src/config/rawConfig";
import { isActionStep, type StepsJob } from "../../src/workflows/model";
import {
  driftCron,
  driftWorkflow,
  infraPreviewWorkflow,
  offlinePlanDir,
  offlinePlanJob,
  previewJob,
} from "../../src/workflows/previewWorkflows";
import { engineCliVersion } from "../../src/workflows/pulumiSteps";
import { appSettings } from "./appSettings";

const pulumiStep = (job: StepsJob) => job.steps.filter(isActionStep).find((s) => s.action === "pulumi/actions");
const actions = (job: StepsJob): string[] => job.steps.filter(isActionStep).map((s) => s.action);

describe("previewJob", () => {
  it("previews every stack in its preview environment as the read-only App, with the pinned CLI", () => {
    const job = previewJob(appSettings(), "pull-request");
    expect(job.strategy).toEqual({ failFast: false, matrix: { stack: [...stackNames] } });
    expect(job.environment).toEqual({ name: "${{ matrix.stack }}-preview" });
    expect(job.steps.find((s) => s.id === "app-token")?.name).toContain("read-only preview App token");
    expect(pulumiStep(job)?.with).toMatchObject({ "pulumi-version": engineCliVersion });
    expect(job.steps.find((s) => s.name === "Install the delivery program")).toMatchObject({ run: "npm ci --ignore-scripts" });
  });

  it("checks drift in each stack's drift environment, which only the default branch may use", () => {
    const job = previewJob(appSettings(), "drift");
    expect(job.environment).toEqual({ name: "${{ matrix.stack }}-drift" });
    expect(pulumiStep(job)?.with).toMatchObject({ "pulumi-version": engineCliVersion });
  });

  it("hands a preview that builds a private repository's image the read-only clone token, and no other", () => {
    const building = previewJob(appSettings({ buildImageOnPreview: true }), "drift");
    expect(pulumiStep(building)?.env?.["DELIVERY_CLONE_TOKEN"]).toBe("${{ steps.clone-token.outputs.token }}");
    expect(building.steps.find((s) => s.id === "clone-token")?.name).toContain("read-only preview App token");
    const plain = previewJob(appSettings({ buildImageOnPreview: false }), "drift");
    expect(pulumiStep(plain)?.env).not.toHaveProperty("DELIVERY_CLONE_TOKEN");
    expect(plain.steps.find((s) => s.id === "clone-token")).toBeUndefined();
  });

  it("on a pull request, comments once and edits it: the only write it is granted", () => {
    const job = previewJob(appSettings(), "pull-request");
    expect(job.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(pulumiStep(job)?.with).toMatchObject({ command: "preview", "comment-on-pr": true, "edit-pr-comment": true });
    expect(pulumiStep(job)?.with).not.toHaveProperty("expect-no-changes");
    expect(actions(job)).not.toContain("slackapi/slack-github-action");
  });

  it("as a drift check, refreshes, fails on any change, reads only, and notifies Slack of failures", () => {
    const job = previewJob(appSettings(), "drift");
    expect(job.permissions).toEqual({ contents: "read" });
    expect(pulumiStep(job)?.with).toMatchObject({ refresh: true, "expect-no-changes": true });
    expect(pulumiStep(job)?.with).not.toHaveProperty("comment-on-pr");
    expect(job.steps.at(-1)).toMatchObject({ action: "slackapi/slack-github-action", if: "failure()" });
    expect(actions(previewJob(appSettings({ slack: false }), "drift")).at(-1)).toBe("pulumi/actions");
  });

  it("sets up Buildx only when previews build the image", () => {
    expect(actions(previewJob(appSettings({ buildImageOnPreview: false }), "drift"))).not.toContain("docker/setup-buildx-action");
    expect(actions(previewJob(appSettings({ buildImageOnPreview: true }), "drift"))).toContain("docker/setup-buildx-action");
  });
});

describe("offlinePlanJob", () => {
  const job = offlinePlanJob(appSettings({ program: { repository: undefined, ref: "", path: "ops/pipeline" } }));

  it("needs no environment, no secret and no token beyond reading the checkout: a fork's pull request gets it too", () => {
    expect(job.environment).toBeUndefined();
    expect(job.permissions).toEqual({ contents: "read" });
    expect(job.timeoutMinutes).toBe(15);
    expect(JSON.stringify(job)).not.toContain("secrets.");
    expect(actions(job)).toEqual(["actions/checkout", "actions/setup-node", "actions/upload-artifact"]);
    expect(job.steps.some((s) => s.id === "app-token")).toBe(false);
  });

  it("installs without install scripts, plans both stacks into the summary, and keeps the plans", () => {
    expect(job.steps.find((s) => s.name === "Install the delivery program")).toEqual({
      name: "Install the delivery program",
      run: "npm ci --ignore-scripts",
      workingDirectory: "ops/pipeline",
    });
    const plan = job.steps.find((s) => s.name === "Plan both stacks offline");
    const script = plan && "run" in plan ? plan.run : "";
    for (const stack of stackNames) {
      expect(script).toContain(`npm run --silent plan -- --stack ${stack} --out "$RUNNER_TEMP/offline-plan/${stack}" > /dev/null`);
      expect(script).toContain(`echo "## Offline plan: ${stack}"`);
    }
    expect(script).not.toContain("${{");
    expect(plan).toMatchObject({ workingDirectory: "ops/pipeline" });
    expect(job.steps.at(-1)).toMatchObject({
      action: "actions/upload-artifact",
      with: { name: "offline-plan", path: offlinePlanDir, "if-no-files-found": "error" },
    });
    expect(offlinePlanDir).toBe("${{ runner.temp }}/offline-plan");
  });
});

describe("infra-preview.yml and drift.yml", () => {
  it("previews pull requests to the default branch that touch the program folder: the offline plan, then the engine's", () => {
    const w = infraPreviewWorkflow(
      appSettings({ defaultBranch: "trunk", program: { repository: undefined, ref: "", path: "ops/pipeline" } }),
    );
    expect(w.on).toEqual({ pullRequest: { branches: ["trunk"], paths: ["ops/pipeline/**"] } });
    expect(w.concurrency?.cancelInProgress).toBe(true);
    expect(Object.keys(w.jobs)).toEqual(["plan", "preview"]);
    expect(w.jobs["preview"]?.needs).toEqual(["plan"]);
  });

  it("without preview reviewers, gives pull requests the offline plan only", () => {
    const w = infraPreviewWorkflow(appSettings({ enginePreviews: false }));
    expect(Object.keys(w.jobs)).toEqual(["plan"]);
  });

  it("checks drift daily at the repository's own time, and on demand", () => {
    const w = driftWorkflow(appSettings());
    expect(w.on).toEqual({ schedule: [{ cron: driftCron("acme/voice-app") }], workflowDispatch: {} });
    expect(w.jobs["drift"]?.name).toBe("drift (${{ matrix.stack }})");
  });
});

describe("driftCron", () => {
  it("is a daily time between 02:00 and 05:59 UTC, the same for one repository whatever its case", () => {
    for (const repository of ["acme/voice-app", "zephyr-labs/tutor-api", "a/b", "Org/Repo-With.Dots_1"]) {
      const [minute, hour, ...rest] = driftCron(repository).split(" ");
      expect(Number(minute)).toBeGreaterThanOrEqual(0);
      expect(Number(minute)).toBeLessThan(60);
      expect(Number(hour)).toBeGreaterThanOrEqual(2);
      expect(Number(hour)).toBeLessThan(6);
      expect(rest).toEqual(["*", "*", "*"]);
      expect(driftCron(repository.toUpperCase())).toBe(driftCron(repository));
    }
  });

  it("spreads repositories over the hours: its values for known repositories", () => {
    expect(driftCron("acme/learning-voice-agent")).toBe("29 4 * * *");
    const times = new Set(Array.from({ length: 50 }, (_, i) => driftCron(`org/repo-${String(i)}`)));
    expect(times.size).toBeGreaterThan(30);
  });
});
