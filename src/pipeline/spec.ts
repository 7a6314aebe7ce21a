/**
 * What one stack owns, as plain data: a pure function of the validated config.
 * Each component of `infra/` gets its slice (an environment, governance, the
 * files, what ships) and declares resources from it, deciding nothing itself.
 * Secret values never appear here; a secret is named by the config key it is read from.
 */
import type { StackConfig, StackName, SecretKey } from "../config";
import { buildShipSpec, type ShipSpec } from "../shipping";
import { generatedFiles, type GeneratedFile } from "../workflows/files";
import {
  deployEnvironmentSpec,
  driftEnvironmentSpec,
  planEnvironmentSpec,
  previewEnvironmentSpec,
  type EnvironmentSpec,
} from "./environments";
import { governanceSlice, type GovernanceSlice } from "./governance";
import { publishedTo, secretsNeeded, secretsRead, type Published, type SecretRef } from "./publication";
import { rotationRecord } from "../policies/checks";

export interface RepositoryRef {
  readonly owner: string;
  readonly name: string;
  readonly fullName: string;
  readonly defaultBranch: string;
  readonly developBranch: string;
  readonly visibility: "public" | "private" | "internal";
}

/** One deployment environment: its protection rules, and the secrets and variables published to it. */
export type EnvironmentSlice = EnvironmentSpec & Published;

export interface PipelineSpec {
  readonly stack: StackName;
  readonly repository: RepositoryRef;
  /** The environment deploy jobs run in, named after the stack. */
  readonly deployEnvironment: EnvironmentSlice;
  /**
   * `<stack>-preview`: where a pull request's `pulumi preview` runs once a preview reviewer approves it;
   * `undefined` without preview reviewers (pull requests then get the offline plan only).
   */
  readonly previewEnvironment: EnvironmentSlice | undefined;
  /**
   * `<stack>-plan` (production only): where the deploy workflow's plan job saves the plan the production
   * reviewers approve, with only what `pulumi preview` needs; release tags only. `undefined` for staging.
   */
  readonly planEnvironment: EnvironmentSlice | undefined;
  /** `<stack>-drift`: where the default branch's drift check runs, with only what `pulumi preview` needs. */
  readonly driftEnvironment: EnvironmentSlice;
  /** Everything repository-wide; only the stack that governs the repository has it. */
  readonly governance: GovernanceSlice | undefined;
  /** Generated files this stack commits to the app repository's default branch, in commit order. */
  readonly files: readonly GeneratedFile[];
  /** The revision, image and deploy this stack ships. */
  readonly ship: ShipSpec;
  /**
   * When each secret the stack reads was last rotated (`noRotationRecorded` where secretRotatedAt has no date),
   * and the age the policy pack reports beyond.
   */
  readonly secretAge: { readonly rotatedAt: Readonly<Record<string, string>>; readonly maxAgeDays: number };
  /** Every secret config key this stack reads: what it publishes, and what the program itself uses. */
  readonly secretsRead: readonly SecretKey[];
  /** Where both stacks keep their state: the workflows log in to it (PULUMI_BACKEND_URL). */
  readonly stateBackendUrl: string;
}

export function repositoryRef(config: StackConfig): RepositoryRef {
  const [owner = "", name = ""] = config.repository.split("/");
  return {
    owner,
    name,
    fullName: config.repository,
    defaultBranch: config.defaultBranch,
    developBranch: config.developBranch,
    visibility: config.repositoryVisibility,
  };
}

type EnvironmentSlices = Pick<PipelineSpec, "deployEnvironment" | "previewEnvironment" | "driftEnvironment"> &
  Partial<Pick<PipelineSpec, "planEnvironment">>;

/** The environments a stack owns: the deploy environment first, then the preview, plan and drift ones it has. */
export function stackEnvironments(spec: EnvironmentSlices): EnvironmentSlice[] {
  return [spec.deployEnvironment, spec.previewEnvironment, spec.planEnvironment, spec.driftEnvironment].filter(
    (env): env is EnvironmentSlice => env !== undefined,
  );
}

/** Every secret a spec publishes, wherever to: its environments' and, when it governs, the repository's. */
export function publishedSecrets(spec: EnvironmentSlices & Pick<PipelineSpec, "governance">): SecretRef[] {
  return [...stackEnvironments(spec), ...(spec.governance === undefined ? [] : [spec.governance])].flatMap((slice) => slice.secrets);
}

/**
 * `handedOverRevision` and `handedOverSha`: what the deploy workflow ran for (see `handedOverRevisionVariable`,
 * `handedOverCommitVariable`); `githubBaseUrl`: the API the GitHub provider talks to (GitHub Enterprise Server's
 * serves the repository's git too).
 */
export function buildPipelineSpec(
  config: StackConfig,
  handedOverRevision?: string,
  handedOverSha?: string,
  githubBaseUrl?: string,
): PipelineSpec {
  const needed = secretsNeeded(config);
  const deployEnvironment = { ...deployEnvironmentSpec(config), ...publishedTo(config.stack, config, needed) };
  const preview = previewEnvironmentSpec(config);
  const previewEnvironment = preview === undefined ? undefined : { ...preview, ...publishedTo(preview.name, config, needed) };
  const plan = planEnvironmentSpec(config);
  const planEnvironment = plan === undefined ? undefined : { ...plan, ...publishedTo(plan.name, config, needed) };
  const drift = driftEnvironmentSpec(config);
  const driftEnvironment = { ...drift, ...publishedTo(drift.name, config, needed) };
  const governance = governanceSlice(config, needed);
  const read = secretsRead(
    publishedSecrets({ deployEnvironment, previewEnvironment, planEnvironment, driftEnvironment, governance }),
    needed,
  );
  return {
    stack: config.stack,
    repository: repositoryRef(config),
    deployEnvironment,
    previewEnvironment,
    planEnvironment,
    driftEnvironment,
    governance,
    files: generatedFiles(config),
    ship: buildShipSpec(config, handedOverRevision, handedOverSha, githubBaseUrl),
    secretAge: { rotatedAt: rotationRecord(config.secretRotatedAt, read), maxAgeDays: config.secretMaxAgeDays },
    secretsRead: read,
    stateBackendUrl: config.stateBackendUrl,
  };
}
