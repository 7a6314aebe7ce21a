/**
 * `pulumi preview` of both stacks as the read-only preview App: on pull
 * requests that touch the program (infra-preview.yml, and this repository's
 * own CI), and daily as a drift check (drift.yml).
 */
import { stackNames } from "../config/rawConfig";
import type { StepsJob, Workflow } from "./model";
import { beforePulumi, policyPackConfigFile, policyPackPath, pulumiEnv } from "./pulumiSteps";
import { readContents, runner, workflowPaths, type AppWorkflowSettings } from "./settings";
import { notifySlack } from "./steps";

/**
 * Both stacks, each in its preview environment: a PR comment, or a drift
 * check. Nothing is built unless `buildImageOnPreview` (the governing stack's
 * setting) asks for it; the pull request's own image check proves the
 * Dockerfile builds.
 */
export function previewJob(s: AppWorkflowSettings, mode: "pull-request" | "drift"): StepsJob {
  const pr = mode === "pull-request";
  const common = {
    command: "preview",
    "stack-name": "${{ matrix.stack }}",
    "work-dir": s.program.path,
    diff: true,
    policyPacks: policyPackPath,
    policyPackConfigs: policyPackConfigFile,
  };
  return {
    name: pr ? "pulumi preview (${{ matrix.stack }})" : "drift (${{ matrix.stack }})",
    runsOn: runner,
    timeoutMinutes: 30,
    // Commenting on the pull request is the only write a preview makes.
    permissions: pr ? { contents: "read", "pull-requests": "write" } : readContents,
    // In the order previews and drift checks run them.
    strategy: { failFast: false, matrix: { stack: [...stackNames] } },
    environment: { name: "${{ matrix.stack }}-preview" },
    steps: [
      ...beforePulumi(s, "preview", s.buildImageOnPreview),
      {
        name: pr ? "pulumi preview" : "pulumi preview --refresh --expect-no-changes",
        action: "pulumi/actions",
        with: pr
          ? { ...common, "comment-on-pr": true, "edit-pr-comment": true, "github-token": "${{ github.token }}" }
          : { ...common, refresh: true, "expect-no-changes": true },
        env: pulumiEnv(s),
      },
      ...(pr ? [] : notifySlack(s.slack, "Drift detected in ${{ matrix.stack }}", "failure()")),
    ],
  };
}

/** Pull requests that touch the program (kept in the app repository) show what they would change. */
export function infraPreviewWorkflow(s: AppWorkflowSettings): Workflow {
  return {
    path: workflowPaths.infraPreview,
    name: "infra-preview",
    // pull_request, never pull_request_target: a fork's pull request gets no secrets.
    on: { pullRequest: { branches: [s.defaultBranch], paths: [`${s.program.path}/**`] } },
    permissions: {},
    concurrency: { group: "infra-preview-${{ github.ref }}", cancelInProgress: true },
    jobs: { preview: previewJob(s, "pull-request") },
  };
}

/** Daily: live state must match the program; any difference fails the run and notifies. */
export function driftWorkflow(s: AppWorkflowSettings): Workflow {
  return {
    path: workflowPaths.drift,
    name: "drift",
    on: { schedule: [{ cron: "17 6 * * *" }], workflowDispatch: {} },
    permissions: {},
    jobs: { drift: previewJob(s, "drift") },
  };
}
