/**
 * A production approval bound to a plan: deploy-production.yml's plan job
 * saves `pulumi preview --save-plan` of the release (no write credential:
 * the read-only App, read-only state credentials where set), hashes it, puts
 * a summary on the run's page and the plan in an artifact; the deploy job,
 * once the production reviewers approve, fetches that artifact by id, checks
 * its sha256 against the plan job's output and applies it with
 * `pulumi up --plan`. The engine refuses any change since the plan (a setting,
 * a rotated secret, another revision or image) before it writes anything.
 */
import { handedOverCommitVariable, handedOverRevisionVariable } from "../shipping";
import type { Step, StepsJob } from "./model";
import { beforePulumi, engineCliVersion, policyPackConfigFile, policyPackPath, pulumiEnv } from "./pulumiSteps";
import { readContents, runner, type AppWorkflowSettings } from "./settings";
import { run } from "./steps";

/** The environment the plan job runs in: src/pipeline/environments.ts declares it (planEnvironmentName), a layer above. */
export const planEnvironment = "production-plan";

/** Where both jobs keep the plan: a folder of the runner's temp, the file the engine writes and reads. */
export const planFolder = "production-plan";
export const planFileName = "plan.json";
/** How long the plan artifact is kept: as long as a run may wait for its production reviewers (GitHub: 30 days). */
export const planRetentionDays = 30;
/** The same path as an expression, for an action's `with:`. */
export const planFilePath = `\${{ runner.temp }}/${planFolder}/${planFileName}`;

/**
 * After the preview: the plan's sha256 and the program's commit into the job's
 * outputs, the reviewers' summary into the job summary (and beside the plan).
 */
export const planRecord = [
  `plan="$RUNNER_TEMP/${planFolder}/${planFileName}"`,
  'sha=$(sha256sum "$plan" | cut -d" " -f1)',
  "commit=$(git rev-parse HEAD)",
  'echo "sha256=$sha" >> "$GITHUB_OUTPUT"',
  'echo "program-commit=$commit" >> "$GITHUB_OUTPUT"',
  `npm run --silent plan-summary -- --plan "$plan" --stack production --program-commit "$commit" > "$RUNNER_TEMP/${planFolder}/summary.md"`,
  `cat "$RUNNER_TEMP/${planFolder}/summary.md" >> "$GITHUB_STEP_SUMMARY"`,
].join("\n");

/**
 * The deploy job's first step: the artifact the plan job uploaded, by its id
 * (a name could match another attempt's), through the REST API with the job's
 * own token (`actions: read`).
 */
export const planFetch = [
  'if [[ ! "$PLAN_ARTIFACT_ID" =~ ^[0-9]+$ ]]; then',
  '  echo "::error::the plan job handed over no plan artifact (\\"$PLAN_ARTIFACT_ID\\"): nothing was applied. Re-run all jobs of this run for a new plan and approval."; exit 1',
  "fi",
  `mkdir -p "$RUNNER_TEMP/${planFolder}"`,
  'if ! gh api "repos/$GITHUB_REPOSITORY/actions/artifacts/$PLAN_ARTIFACT_ID/zip" > "$RUNNER_TEMP/plan-artifact.zip"; then',
  `  echo "::error::the plan artifact $PLAN_ARTIFACT_ID could not be fetched (it expires ${String(planRetentionDays)} days after the plan): nothing was applied. Re-run all jobs of this run for a new plan and approval."; exit 1`,
  "fi",
  `unzip -o -q "$RUNNER_TEMP/plan-artifact.zip" -d "$RUNNER_TEMP/${planFolder}"`,
].join("\n");

/**
 * The plan file must be the one the plan job hashed: what the reviewers saw.
 * Otherwise nothing is applied, and the step says what to do.
 */
export const planHashCheck = [
  `plan="$RUNNER_TEMP/${planFolder}/${planFileName}"`,
  'if [[ ! "$PLAN_SHA256" =~ ^[0-9a-f]{64}$ ]]; then',
  '  echo "::error::the plan job handed over no plan hash (\\"$PLAN_SHA256\\"): nothing was applied. Re-run all jobs of this run for a new plan and approval."; exit 1',
  "fi",
  'if [ ! -f "$plan" ]; then',
  '  echo "::error::no plan file at $plan: nothing was applied. Re-run all jobs of this run for a new plan and approval."; exit 1',
  "fi",
  'actual=$(sha256sum "$plan" | cut -d" " -f1)',
  'if [ "$actual" != "$PLAN_SHA256" ]; then',
  '  echo "::error::the plan file has sha256 $actual, not $PLAN_SHA256, the plan the reviewers approved: nothing was applied. Re-run all jobs of this run for a new plan and approval."; exit 1',
  "fi",
  'echo "applying the approved plan, sha256 $actual"',
].join("\n");

/** The environment a production run hands the program: the tag it runs for and that tag's commit (the program refuses a moved tag). */
export function releaseRevisionEnv(tag: string): Record<string, string> {
  return { [handedOverRevisionVariable]: tag, [handedOverCommitVariable]: "${{ github.sha }}" };
}

/** `pulumi preview --save-plan` of production in `production-plan`, as the read-only App. */
export function planJob(s: AppWorkflowSettings, needs: readonly string[], revisionEnv: Record<string, string>): StepsJob {
  return {
    name: "plan the production update",
    needs,
    runsOn: runner,
    timeoutMinutes: 30,
    permissions: readContents,
    environment: { name: planEnvironment },
    outputs: {
      sha256: "${{ steps.plan-record.outputs.sha256 }}",
      "program-commit": "${{ steps.plan-record.outputs.program-commit }}",
      "artifact-id": "${{ steps.plan-artifact.outputs.artifact-id }}",
    },
    steps: [
      // A clean install, like the deploy's: this job decrypts the stack's config, and what it plans is what ships.
      ...beforePulumi(s, "preview", false, { clean: true }),
      {
        name: "pulumi preview --save-plan --stack production",
        action: "pulumi/actions",
        with: {
          command: "preview",
          "pulumi-version": engineCliVersion,
          "stack-name": "production",
          "work-dir": s.program.path,
          diff: true,
          plan: planFilePath,
          policyPacks: policyPackPath,
          policyPackConfigs: policyPackConfigFile,
        },
        env: { ...pulumiEnv(s, false), ...revisionEnv },
      },
      { ...run("Hash the plan and summarise it for the reviewers", planRecord), id: "plan-record", workingDirectory: s.program.path },
      {
        name: "Keep the plan for the deploy job",
        id: "plan-artifact",
        action: "actions/upload-artifact",
        with: {
          name: "production-plan-${{ github.run_attempt }}",
          path: `\${{ runner.temp }}/${planFolder}`,
          "if-no-files-found": "error",
          // As long as GitHub lets a deployment wait for its reviewers: 30 days.
          "retention-days": planRetentionDays,
        },
      },
    ],
  };
}

/** The deploy job's steps before anything else: fetch the approved plan, then check it is the one. */
export function approvedPlanSteps(): Step[] {
  return [
    run("Fetch the plan the reviewers approved", planFetch, {
      GH_TOKEN: "${{ github.token }}",
      PLAN_ARTIFACT_ID: "${{ needs.plan.outputs.artifact-id }}",
    }),
    run("Check the plan is the one the plan job made", planHashCheck, { PLAN_SHA256: "${{ needs.plan.outputs.sha256 }}" }),
  ];
}
