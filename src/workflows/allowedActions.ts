/**
 * The repository's Actions allow-list ("selected actions", set by the governing
 * stack): exactly the actions the generated workflows run, and the actions
 * those run inside themselves, since GitHub checks a composite action's own
 * `uses:` steps against the same list. An action allowed but never run is
 * attack surface for nothing; one run but not allowed fails its job.
 */
import type { StackConfig } from "../config";
import { lintWorkflow, testWorkflow } from "./checkWorkflows";
import { deployProductionWorkflow, deployStagingWorkflow } from "./deployWorkflows";
import { workflowSettings } from "./files";
import { isActionStep, isCallJob, type Workflow } from "./model";
import { pins, type ActionName } from "./pins";
import { driftWorkflow, infraPreviewWorkflow } from "./previewWorkflows";
import { programCiWorkflow } from "./programWorkflow";

/**
 * The actions each composite action of the pin table runs in its own steps
 * (`runs.steps[*].uses` of its action.yml at the pinned SHA). Every composite
 * pin needs an entry, empty when it runs none: a test holds the table to the
 * pins, so a new composite action cannot slip in unexamined.
 */
export const actionsRunInside: Readonly<Partial<Record<ActionName, readonly string[]>>> = {
  // v5.5.2's "Get OIDC token" step is actions/github-script (pinned by SHA in codecov's action.yml), as issue 12's
  // review found; the copies of that file readable offline here are older versions without it, so this is unverified.
  "codecov/codecov-action": ["actions/github-script"],
};

/** The composite actions of the pin table (`runs: composite`), which run steps of their own. */
export function compositeActions(): string[] {
  return Object.entries(pins)
    .filter(([, pin]) => pin.runs === "composite")
    .map(([name]) => name)
    .sort();
}

/** Every action the workflows run, directly or inside a composite action, as `owner/name`. */
export function actionsRunBy(workflows: readonly Workflow[]): string[] {
  const found = new Set<string>();
  for (const workflow of workflows) {
    for (const job of Object.values(workflow.jobs)) {
      if (isCallJob(job)) continue; // a reusable workflow of the same repository: its own jobs are in `workflows` too
      for (const step of job.steps.filter(isActionStep)) {
        found.add(step.action);
        for (const inner of actionsRunInside[step.action] ?? []) found.add(inner);
      }
    }
  }
  return [...found].sort();
}

/**
 * Every workflow that may run in the app repository, for the governing stack's config.
 * Codecov is the governing stack's own choice (only its test workflow uploads);
 * the Slack notice, the deploy build and the preview build are each stack's, and
 * the other stack's choice is not visible here, so they count as on.
 */
export function workflowsEitherStackMayRun(governing: StackConfig): Workflow[] {
  const settings = { ...workflowSettings(governing), slack: true, deployBuilds: true, buildImageOnPreview: true };
  const url = `https://${governing.railwayDomain}`;
  const workflows = [
    testWorkflow(settings),
    lintWorkflow(settings),
    infraPreviewWorkflow(settings),
    driftWorkflow(settings),
    deployStagingWorkflow(settings, url),
    deployProductionWorkflow(settings, url),
  ];
  // With the program inside the app repository, the program's own CI runs there too.
  if (governing.programRepository === undefined) workflows.push(programCiWorkflow(governing));
  return workflows;
}

/** The `owner/name@*` patterns the repository allows: the actions the workflows run, and nothing else. */
export function allowedActionPatterns(governing: StackConfig): string[] {
  return actionsRunBy(workflowsEitherStackMayRun(governing)).map((name) => `${name}@*`);
}
