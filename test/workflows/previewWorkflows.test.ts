import { describe, expect, it } from "vitest";
import { stackNames } from "../../src/config/rawConfig";
import { isActionStep, type StepsJob } from "../../src/workflows/model";
import { driftWorkflow, infraPreviewWorkflow, previewJob } from "../../src/workflows/previewWorkflows";
import { appSettings } from "./appSettings";

const pulumiStep = (job: StepsJob) => job.steps.filter(isActionStep).find((s) => s.action === "pulumi/actions");
const actions = (job: StepsJob): string[] => job.steps.filter(isActionStep).map((s) => s.action);

describe("previewJob", () => {
  it("previews every stack in its preview environment as the read-only App", () => {
    const job = previewJob(appSettings(), "pull-request");
    expect(job.strategy).toEqual({ failFast: false, matrix: { stack: [...stackNames] } });
    expect(job.environment).toEqual({ name: "${{ matrix.stack }}-preview" });
    expect(job.steps.find((s) => s.id === "app-token")?.name).toContain("read-only preview App token");
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

describe("infra-preview.yml and drift.yml", () => {
  it("previews pull requests to the default branch that touch the program folder", () => {
    const w = infraPreviewWorkflow(
      appSettings({ defaultBranch: "trunk", program: { repository: undefined, ref: "", path: "ops/pipeline" } }),
    );
    expect(w.on).toEqual({ pullRequest: { branches: ["trunk"], paths: ["ops/pipeline/**"] } });
    expect(w.concurrency?.cancelInProgress).toBe(true);
    expect(Object.keys(w.jobs)).toEqual(["preview"]);
  });

  it("checks drift daily and on demand", () => {
    const w = driftWorkflow(appSettings());
    expect(w.on).toEqual({ schedule: [{ cron: "17 6 * * *" }], workflowDispatch: {} });
    expect(w.jobs["drift"]?.name).toBe("drift (${{ matrix.stack }})");
  });
});
