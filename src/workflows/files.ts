/** Which generated files a stack commits into the app repository, rendered. */
import type { StackConfig } from "../config";
import { stateBackendKind, type StateBackendKind } from "../config/backend";
import { enginePreviewsEnabled } from "../config/crossField";
import { buildShipSpec, imageSource, platformCacheRef } from "../shipping";
import { lintWorkflow, testWorkflow } from "./checkWorkflows";
import { dependabotConfig } from "./dependabot";
import { deployProductionWorkflow, deployStagingWorkflow } from "./deployWorkflows";
import type { Workflow } from "./model";
import { driftWorkflow, infraPreviewWorkflow } from "./previewWorkflows";
import { renderWorkflow, renderYaml } from "./render";
import { workflowPaths, type AppWorkflowSettings } from "./settings";

export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

function backendOf(url: string): StateBackendKind {
  const kind = stateBackendKind(url);
  // Validation accepts only URLs of a known backend; guessing one here would give the jobs the wrong credentials.
  if (kind === undefined) throw new Error(`stateBackendUrl ${url} names no known backend`);
  return kind;
}

/** One stack's config, as the settings its workflows are generated from. */
export function workflowSettings(config: StackConfig): AppWorkflowSettings {
  const image = buildShipSpec(config).image;
  const source = imageSource(config);
  return {
    repository: config.repository,
    defaultBranch: config.defaultBranch,
    developBranch: config.developBranch,
    pythonVersions: config.pythonVersions,
    coverageMinimum: config.coverageMinimum,
    pythonPackage: config.pythonPackage,
    codecov: config.codecovUpload,
    slack: config.secretsPresent.includes("slackWebhookUrl"),
    stateBackend: backendOf(config.stateBackendUrl),
    program: { repository: config.programRepository, ref: config.programRef, path: config.programPath },
    image: { dockerfile: image.dockerfile, platforms: image.platforms, cacheRefs: image.platforms.map((p) => platformCacheRef(image, p)) },
    enginePreviews: enginePreviewsEnabled(config),
    buildImageOnPreview: config.buildImageOnPreview,
    privateRepository: config.repositoryVisibility !== "public",
    deployBuilds: source.kind === "build" || (source.kind === "promote-verified" && source.buildWhenUnverified),
    allowPrerelease: config.allowPrerelease,
    deployTimeoutMinutes: deployTimeoutMinutes(config),
  };
}

/**
 * The deploy command's longest run, in whole minutes, plus 30 for the rest of the job (install, the build,
 * the GitHub side): its deployment and a rollback may each take the pull allowance (600 s), the health-check
 * timeout and the verdict grace (120 s) (src/railway/deployCli.ts's defaults), and the bake its window.
 */
export function deployTimeoutMinutes(config: Pick<StackConfig, "healthCheckTimeoutSeconds" | "bakeSeconds">): number {
  const deployment = 600 + config.healthCheckTimeoutSeconds + 120;
  return 30 + Math.ceil((2 * deployment + config.bakeSeconds) / 60);
}

/** The workflows this stack owns, in the order they are committed. */
export function ownedWorkflows(config: StackConfig): Workflow[] {
  const settings = workflowSettings(config);
  const url = `https://${config.railwayDomain}`;
  const workflows: Workflow[] = [];
  if (config.governsRepository) {
    workflows.push(testWorkflow(settings), lintWorkflow(settings));
    // With the program in its own repository, that repository's CI previews it (see .github/workflows/ci.yml).
    if (settings.program.repository === undefined) workflows.push(infraPreviewWorkflow(settings));
    workflows.push(driftWorkflow(settings));
  }
  workflows.push(config.stack === "staging" ? deployStagingWorkflow(settings, url) : deployProductionWorkflow(settings, url));
  return workflows;
}

/** The files this stack owns (its workflows, and Dependabot's for the governing stack), in commit order. */
export function generatedFiles(config: StackConfig): GeneratedFile[] {
  const regenerate = `pulumi up --stack ${config.stack}`;
  const files = ownedWorkflows(config).map((w) => ({ path: w.path, content: renderWorkflow(w, regenerate) }));
  if (config.governsRepository) {
    // Committed right after the check workflows whose dependencies it keeps current.
    files.splice(2, 0, { path: workflowPaths.dependabot, content: renderYaml(dependabotConfig(), regenerate) });
  }
  return files;
}
