/**
 * What a pull request that touches the program shows, and the daily drift
 * check: the offline plan of both stacks on every pull request (no secret, no
 * environment: a fork's gets the same), `pulumi preview` on the real engine as
 * the read-only preview App once a preview reviewer approves the run
 * (infra-preview.yml, and this repository's own CI), and
 * `pulumi preview --refresh --expect-no-changes` of the default branch
 * (drift.yml).
 */
import { stackNames } from "../config/rawConfig";
import type { StepsJob, Workflow } from "./model";
import { beforePulumi, engineCliVersion, policyPackConfigFile, policyPackPath, pulumiEnv } from "./pulumiSteps";
import { readContents, runner, workflowPaths, type AppWorkflowSettings } from "./settings";
import { checkout, notifySlack, run } from "./steps";

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
    "pulumi-version": engineCliVersion,
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
    // A pull request's preview waits for a preview reviewer; the drift environment admits only the default branch.
    environment: { name: pr ? "${{ matrix.stack }}-preview" : "${{ matrix.stack }}-drift" },
    steps: [
      ...beforePulumi(s, "preview", s.buildImageOnPreview),
      {
        name: pr ? "pulumi preview" : "pulumi preview --refresh --expect-no-changes",
        action: "pulumi/actions",
        with: pr
          ? { ...common, "comment-on-pr": true, "edit-pr-comment": true, "github-token": "${{ github.token }}" }
          : { ...common, refresh: true, "expect-no-changes": true },
        env: pulumiEnv(s, s.buildImageOnPreview),
      },
      ...(pr ? [] : notifySlack(s.slack, "Drift detected in ${{ matrix.stack }}", "failure()")),
    ],
  };
}

/** Where the offline plan job writes both stacks' plans, outside the checkout. */
export const offlinePlanDir = "${{ runner.temp }}/offline-plan";

/**
 * The offline plan of both stacks (`npm run plan`: the program under Pulumi's
 * mock runtime): what each stack would declare, the rendered workflow files and
 * the secrets still to set, into the job summary and an artifact. It needs no
 * secret and no environment, so it runs for every pull request, a fork's
 * included; install scripts are off, since nothing here runs the engine.
 */
export function offlinePlanJob(s: AppWorkflowSettings): StepsJob {
  const plans = stackNames.map((stack) =>
    [
      `npm run --silent plan -- --stack ${stack} --out "$RUNNER_TEMP/offline-plan/${stack}" > /dev/null`,
      `{ echo "## Offline plan: ${stack}"; echo; echo '\`\`\`'; cat "$RUNNER_TEMP/offline-plan/${stack}/plan.txt"; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"`,
    ].join("\n"),
  );
  return {
    name: "offline plan (both stacks)",
    runsOn: runner,
    timeoutMinutes: 15,
    permissions: readContents,
    steps: [
      checkout(),
      {
        name: "Set up Node.js",
        action: "actions/setup-node",
        with: { "node-version": "20", cache: "npm", "cache-dependency-path": `${s.program.path}/package-lock.json` },
      },
      { name: "Install the delivery program", run: "npm ci --ignore-scripts", workingDirectory: s.program.path },
      { ...run("Plan both stacks offline", plans.join("\n")), workingDirectory: s.program.path },
      {
        name: "Keep the plans",
        action: "actions/upload-artifact",
        with: { name: "offline-plan", path: offlinePlanDir, "if-no-files-found": "error" },
      },
    ],
  };
}

/**
 * Pull requests that touch the program (kept in the app repository) show what
 * they would change: the offline plan always, and, with preview reviewers, a
 * real-engine preview of each stack once one of them approves the run.
 */
export function infraPreviewWorkflow(s: AppWorkflowSettings): Workflow {
  return {
    path: workflowPaths.infraPreview,
    name: "infra-preview",
    // pull_request, never pull_request_target: a fork's pull request gets no secrets.
    on: { pullRequest: { branches: [s.defaultBranch], paths: [`${s.program.path}/**`] } },
    permissions: {},
    concurrency: { group: "infra-preview-${{ github.ref }}", cancelInProgress: true },
    jobs: {
      plan: offlinePlanJob(s),
      ...(s.enginePreviews ? { preview: { ...previewJob(s, "pull-request"), needs: ["plan"] } } : {}),
    },
  };
}

/**
 * The drift check's time of day, spread by a hash of the repository: drift
 * checks of many repositories sharing one preview App installation would
 * otherwise all spend its rate limit in the same minute.
 */
export function driftCron(repository: string): string {
  let hash = 2166136261;
  for (const char of repository.toLowerCase()) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  // Between 02:00 and 05:59 UTC, before a working day in most time zones.
  return `${hash % 60} ${2 + ((hash >>> 8) % 4)} * * *`;
}

/** Daily: live state must match the program; any difference fails the run and notifies. */
export function driftWorkflow(s: AppWorkflowSettings): Workflow {
  return {
    path: workflowPaths.drift,
    name: "drift",
    on: { schedule: [{ cron: driftCron(s.repository) }], workflowDispatch: {} },
    permissions: {},
    jobs: { drift: previewJob(s, "drift") },
  };
}
