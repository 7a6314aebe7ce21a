/** Which generated files a stack commits into the app repository, rendered. */
import type { StackConfig } from "../config";
import {
  dependabotConfig,
  deployProductionWorkflow,
  deployStagingWorkflow,
  driftWorkflow,
  infraPreviewWorkflow,
  lintWorkflow,
  testWorkflow,
  workflowPaths,
  type AppWorkflowSettings,
} from "./appWorkflows";
import { renderWorkflow, renderYaml } from "./render";

export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export function workflowSettings(config: StackConfig): AppWorkflowSettings {
  return {
    defaultBranch: config.defaultBranch,
    developBranch: config.developBranch,
    pythonVersions: config.pythonVersions,
    coverageMinimum: config.coverageMinimum,
    codecov: config.secretsPresent.includes("codecovToken"),
    slack: config.secretsPresent.includes("slackWebhookUrl"),
    stateBackend: config.stateBackendUrl.startsWith("s3://") ? "s3" : "pulumi-cloud",
    program: { repository: config.programRepository, ref: config.programRef, path: config.programPath },
  };
}

/** The files this stack owns, in the order they are committed. */
export function generatedFiles(config: StackConfig): GeneratedFile[] {
  const settings = workflowSettings(config);
  const regenerate = `pulumi up --stack ${config.stack}`;
  const url = `https://${config.railwayDomain}`;
  const files: GeneratedFile[] = [];
  if (config.governsRepository) {
    files.push({ path: workflowPaths.test, content: renderWorkflow(testWorkflow(settings), regenerate) });
    files.push({ path: workflowPaths.lint, content: renderWorkflow(lintWorkflow(settings), regenerate) });
    files.push({ path: workflowPaths.dependabot, content: renderYaml(dependabotConfig(), regenerate) });
    // With the program in its own repository, that repository's CI previews it (see .github/workflows/ci.yml).
    if (settings.program.repository === undefined) {
      files.push({ path: workflowPaths.infraPreview, content: renderWorkflow(infraPreviewWorkflow(settings), regenerate) });
    }
    files.push({ path: workflowPaths.drift, content: renderWorkflow(driftWorkflow(settings), regenerate) });
  }
  if (config.stack === "staging") files.push({ path: workflowPaths.deployStaging, content: renderWorkflow(deployStagingWorkflow(settings, url), regenerate) });
  else files.push({ path: workflowPaths.deployProduction, content: renderWorkflow(deployProductionWorkflow(settings, url), regenerate) });
  return files;
}
