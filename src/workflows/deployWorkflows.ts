/**
 * Each stack's own deploy workflow: deploy-staging.yml (a push to the default
 * branch) and deploy-production.yml (a release, or a dispatch naming a tag).
 * Both run the required checks on the revision they ship, then `pulumi up`;
 * production's applies the plan its reviewers approved (planJob.ts).
 */
import { releaseTagPattern } from "../formats";
import { handedOverRevisionVariable } from "../shipping";
import { testCallPermissions } from "./checkWorkflows";
import type { CallJob, Job, Permissions, StepsJob, Workflow } from "./model";
import { beforePulumi, engineCliVersion, policyPackConfigFile, policyPackPath, pulumiEnv } from "./pulumiSteps";
import { readContents, runner, workflowPaths, type AppWorkflowSettings } from "./settings";
import { approvedPlanSteps, planFilePath, planJob, releaseRevisionEnv } from "./planJob";
import { notifySlack, run } from "./steps";

/** A job calling a check workflow with the grants it may use; it passes no secret (and never `secrets: inherit`). */
export function callCheck(name: string, path: string, permissions: Permissions, needs?: readonly string[]): CallJob {
  return { name, ...(needs === undefined ? {} : { needs }), uses: `./${path}`, permissions };
}

/**
 * `pulumi up` of one stack in its environment, as the delivery App. `revision`
 * is the expression of the exact revision the workflow ran for, handed to the
 * program in DELIVERY_APP_REVISION through `env:` (never inside a command line).
 * Production's applies the plan of the job `plan` (`planned`), which it needs:
 * the approved plan file, checked against its hash, from the program's commit the plan was made from.
 */
export function deployJob(
  s: AppWorkflowSettings,
  stack: "staging" | "production",
  needs: readonly string[],
  url: string,
  revision: string,
): StepsJob {
  const planned = stack === "production";
  // A tag is a name that can move: the commit the run is for (`github.sha`) goes with it, and the program refuses a moved tag.
  // Production's is the plan job's very environment, or its plan would not apply.
  const revisionEnv = planned ? releaseRevisionEnv(revision) : { [handedOverRevisionVariable]: revision };
  const programRef = planned && s.program.repository !== undefined ? { programRef: "${{ needs.plan.outputs.program-commit }}" } : {};
  return {
    name: `deploy to ${stack}`,
    needs,
    runsOn: runner,
    timeoutMinutes: s.deployTimeoutMinutes,
    // Reading the plan job's artifact takes `actions: read`.
    permissions: planned ? { ...readContents, actions: "read" } : readContents,
    environment: { name: stack, url },
    // One update per stack at a time, and never cancelled half-way.
    concurrency: { group: `pulumi-${stack}`, cancelInProgress: false },
    steps: [
      ...beforePulumi(s, "delivery", s.deployBuilds, { ...programRef, first: planned ? approvedPlanSteps() : [] }),
      {
        name: `pulumi up --stack ${stack}`,
        action: "pulumi/actions",
        with: {
          command: "up",
          "pulumi-version": engineCliVersion,
          "stack-name": stack,
          "work-dir": s.program.path,
          diff: true,
          "suppress-outputs": true,
          ...(planned ? { plan: planFilePath } : {}),
          policyPacks: policyPackPath,
          policyPackConfigs: policyPackConfigFile,
        },
        env: { ...pulumiEnv(s, s.deployBuilds), ...revisionEnv },
      },
      ...notifySlack(s.slack, `Deploy to ${stack}`),
    ],
  };
}

/**
 * On a push to the default branch: test and lint that commit, then ship that
 * commit (`github.sha`, the commit the called test and lint workflows checked
 * out), never whatever the branch points at by then.
 */
export function deployStagingWorkflow(s: AppWorkflowSettings, url: string): Workflow {
  const jobs: Record<string, Job> = {
    test: callCheck("test", workflowPaths.test, testCallPermissions),
    lint: callCheck("lint", workflowPaths.lint, readContents),
    deploy: deployJob(s, "staging", ["test", "lint"], url, "${{ github.sha }}"),
  };
  return {
    path: workflowPaths.deployStaging,
    name: "deploy-staging",
    on: { push: { branches: [s.defaultBranch] }, workflowDispatch: {} },
    permissions: {},
    jobs,
  };
}

/**
 * A release tag, checked before anything runs: the tag of the release that
 * triggered the run, or the tag a dispatch names, which must also be the ref
 * the run is on (so the tests, the audit and the program's checkout are that
 * tag's commit). Rolling back is dispatching the workflow on an older tag.
 * Bash's `=~` matches the whole value, so a tag with a line break cannot pass.
 */
export const releaseTagCheck = [
  // The one release tag format (src/formats), which is also a POSIX extended regular expression.
  `if [[ ! "$TAG" =~ ${releaseTagPattern.source} ]]; then`,
  '  echo "::error::\\"$TAG\\" is not a release tag like v1.2.3"; exit 1',
  "fi",
  'if [ "$GITHUB_REF" != "refs/tags/$TAG" ]; then',
  '  echo "::error::run this workflow on the tag $TAG: gh workflow run deploy-production.yml --ref $TAG -f version=$TAG"; exit 1',
  "fi",
  'echo "tag=$TAG" >> "$GITHUB_OUTPUT"',
].join("\n");

/** The first job of deploy-production.yml: runs `releaseTagCheck` and hands the tag on as its `tag` output. It needs no grant. */
export function releaseTagJob(): StepsJob {
  return {
    name: "validate the release tag",
    runsOn: runner,
    timeoutMinutes: 5,
    permissions: {},
    outputs: { tag: "${{ steps.tag.outputs.tag }}" },
    steps: [
      {
        ...run("Check the tag is a release tag and the ref being deployed", releaseTagCheck, {
          TAG: "${{ inputs.version || github.event.release.tag_name }}",
        }),
        id: "tag",
      },
    ],
  };
}

export function deployProductionWorkflow(s: AppWorkflowSettings, url: string): Workflow {
  return {
    path: workflowPaths.deployProduction,
    name: "deploy-production",
    on: {
      // `released` leaves pre-releases out (and fires when one is promoted to a release); the program refuses them too.
      release: { types: [s.allowPrerelease ? "published" : "released"] },
      workflowDispatch: {
        inputs: {
          version: {
            description: "Release tag to deploy, e.g. v1.4.1 (an older tag rolls back); run the workflow on that same tag",
            required: true,
            type: "string",
          },
        },
      },
    },
    permissions: {},
    jobs: {
      version: releaseTagJob(),
      test: callCheck("test", workflowPaths.test, testCallPermissions, ["version"]),
      audit: callCheck("audit", workflowPaths.lint, readContents, ["version"]),
      plan: planJob(s, ["version", "test", "audit"], releaseRevisionEnv("${{ needs.version.outputs.tag }}")),
      deploy: deployJob(s, "production", ["version", "test", "audit", "plan"], url, "${{ needs.version.outputs.tag }}"),
    },
  };
}
