/**
 * What one stack owns, as plain data: a pure function of the validated config.
 * `infra/` turns this into resources and decides nothing itself. Secret values
 * never appear here; a secret is named by the config key it is read from.
 */
import {
  githubEntriesFor,
  isSecretKey,
  type GithubEntry,
  type Scope,
  type SecretKey,
  type StackConfig,
  type StackName,
  requiredSecrets,
  secretDefinitions,
  secretKeys,
} from "../config";
import { releaseTagGlob } from "../formats";
import { policyPackConfig } from "../policies/packConfig";
import { pipelineDiagram, type DiagramEnvironment } from "../workflows/diagram";
import { generatedFiles, ownedWorkflows, type GeneratedFile } from "../workflows/files";
import { allowedActionPatterns } from "../workflows/pins";
import { buildShipSpec, requiredCheckNames, type ShipSpec } from "../shipping";

export interface RepositoryRef {
  readonly owner: string;
  readonly name: string;
  readonly fullName: string;
  readonly defaultBranch: string;
  readonly developBranch: string;
  readonly visibility: "public" | "private" | "internal";
}

export type DeploymentPolicy = { readonly kind: "branch"; readonly pattern: string } | { readonly kind: "tag"; readonly pattern: string };

export interface EnvironmentSpec {
  readonly name: string;
  /** Shown on deployments; the preview environment deploys nothing and has none. */
  readonly url: string | undefined;
  readonly reviewerUsers: readonly string[];
  readonly reviewerTeams: readonly string[];
  readonly waitTimerMinutes: number;
  readonly preventSelfReview: boolean;
  readonly canAdminsBypass: boolean;
  /** Which refs may use the environment; `undefined`: any branch (the preview environment). */
  readonly deploymentPolicy: DeploymentPolicy | undefined;
}

export interface SecretRef {
  readonly githubName: string;
  readonly scope: Scope;
  /** The environment it is published to; `undefined` for repository scope. */
  readonly environment: string | undefined;
  readonly configKey: SecretKey;
}

export interface VariableSpec {
  readonly githubName: string;
  readonly scope: Scope;
  readonly environment: string | undefined;
  readonly value: string;
}

export interface RulesetSpec {
  /** The ruleset's name in GitHub, and the stem of its resource name. */
  readonly name: string;
  readonly branch: string;
  readonly requiredChecks: readonly string[];
  readonly requiredApprovals: number;
  /** The GitHub App that runs `pulumi up`: the only bypass actor, so generated commits can land. */
  readonly bypassAppId: number;
}

export interface ActionsPermissionsSpec {
  readonly shaPinningRequired: true;
  readonly allowedActions: "selected";
  readonly githubOwnedAllowed: boolean;
  readonly verifiedAllowed: boolean;
  readonly patternsAllowed: readonly string[];
}

export interface PipelineSpec {
  readonly stack: StackName;
  readonly repository: RepositoryRef;
  readonly governsRepository: boolean;
  /** The environment deploy jobs run in, named after the stack. */
  readonly environment: EnvironmentSpec;
  /**
   * `<stack>-preview`: where pull request previews and drift checks run, with
   * only what `pulumi preview` needs, so they never touch the deploy environment.
   */
  readonly previewEnvironment: EnvironmentSpec;
  /** Secrets this stack publishes to GitHub (its environment's, and the repository's when it governs). */
  readonly secrets: readonly SecretRef[];
  readonly variables: readonly VariableSpec[];
  readonly rulesets: readonly RulesetSpec[];
  readonly actionsPermissions: ActionsPermissionsSpec | undefined;
  /** Generated files this stack commits to the app repository's default branch, in commit order. */
  readonly files: readonly GeneratedFile[];
  /** A Mermaid flowchart of this stack's workflows, environments and deploy target. */
  readonly diagram: string;
  /** The revision, image and deploy this stack ships. */
  readonly ship: ShipSpec;
  /** When each secret was last rotated, and the age the policy pack reports beyond. */
  readonly secretAge: { readonly rotatedAt: Readonly<Record<string, string>>; readonly maxAgeDays: number };
  /** Every secret config key this stack reads: what it publishes, and what the program itself uses. */
  readonly secretsRead: readonly SecretKey[];
  /** Where both stacks keep their state: the workflows log in to it (PULUMI_BACKEND_URL). */
  readonly stateBackendUrl: string;
}

export function previewEnvironmentName(stack: string): string {
  return `${stack}-preview`;
}

/** Production deploys only from release tags; this is the tag shape releases use. */
function splitRepository(fullName: string): { owner: string; name: string } {
  const [owner = "", name = ""] = fullName.split("/");
  return { owner, name };
}

/** Whether this stack publishes an entry of that scope. */
function owns(scope: Scope, governs: boolean): boolean {
  return scope === "environment" || governs;
}

/**
 * Where a stack publishes an entry: the repository (`undefined`), or some of
 * its two environments. The deploy environment admits only the default branch
 * (staging) or release tags (production); the preview environment any branch.
 * So an entry that can write (the delivery App's key) stays out of the preview
 * environment, and a preview-only one (the read-only App's key, read-only
 * state credentials) out of the deploy environment, where no job reads it.
 * A shared entry (`preview: true`) yields its place in the preview environment
 * to a preview-only entry of the same name whose value is set: the preview then
 * logs in with the read-only credential, never the deploy one.
 */
export function entryEnvironments(
  entry: GithubEntry,
  stack: string,
  entries: readonly GithubEntry[],
  isSet: (key: SecretKey) => boolean,
): (string | undefined)[] {
  if (entry.scope === "repository") return [undefined];
  const preview = previewEnvironmentName(stack);
  if (entry.preview === "only") return [preview];
  if (entry.preview === undefined) return [stack];
  const standIn = entries.some(
    (e) =>
      e.preview === "only" &&
      e.name === entry.name &&
      "configKey" in e.source &&
      isSecretKey(e.source.configKey) &&
      isSet(e.source.configKey),
  );
  return standIn ? [stack] : [stack, preview];
}

function variableValue(entry: GithubEntry, config: StackConfig): string | undefined {
  if ("derived" in entry.source) return entry.source.derived === "stackName" ? config.stack : JSON.stringify(policyPackConfig(config));
  const value: unknown = (config as unknown as Readonly<Record<string, unknown>>)[entry.source.configKey];
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

function diagramEnvironment(env: EnvironmentSpec): DiagramEnvironment {
  const policy = env.deploymentPolicy;
  return {
    name: env.name,
    reviewers: [...env.reviewerUsers, ...env.reviewerTeams.map((t) => `team ${t}`)],
    waitTimerMinutes: env.waitTimerMinutes,
    allowedRefs: policy === undefined ? "any branch" : `${policy.kind === "tag" ? "tags" : "branch"} ${policy.pattern}`,
  };
}

/** `handedOverRevision`: what the deploy workflow ran for (see `handedOverRevisionVariable`). */
export function buildPipelineSpec(config: StackConfig, handedOverRevision?: string): PipelineSpec {
  const { owner, name } = splitRepository(config.repository);
  const governs = config.governsRepository;
  const production = config.stack === "production";
  const needed = new Set<SecretKey>([...requiredSecrets(config.stateBackendUrl), ...config.secretsPresent]);

  const secrets: SecretRef[] = [];
  const variables: VariableSpec[] = [];
  const entries = githubEntriesFor(config.railwayTokenKind);
  for (const entry of entries) {
    if (!owns(entry.scope, governs)) continue;
    for (const environment of entryEnvironments(entry, config.stack, entries, (key) => needed.has(key))) {
      if (entry.kind === "secret") {
        // Optional secrets that are not set are simply not published: the feature that reads them is off.
        if ("configKey" in entry.source && needed.has(entry.source.configKey as SecretKey)) {
          secrets.push({ githubName: entry.name, scope: entry.scope, environment, configKey: entry.source.configKey as SecretKey });
        }
      } else {
        const value = variableValue(entry, config);
        if (value !== undefined) variables.push({ githubName: entry.name, scope: entry.scope, environment, value });
      }
    }
  }

  const rulesets: RulesetSpec[] = governs
    ? [config.defaultBranch, config.developBranch].map((branch) => ({
        name: `protect-${branch.replace(/[^A-Za-z0-9-]/g, "-")}`,
        branch,
        requiredChecks: requiredCheckNames(config.pythonVersions),
        requiredApprovals: 1,
        bypassAppId: config.deliveryAppId,
      }))
    : [];

  const deployEnvironment: EnvironmentSpec = {
    name: config.stack,
    url: `https://${config.railwayDomain}`,
    reviewerUsers: config.reviewerUsers,
    reviewerTeams: config.reviewerTeams,
    waitTimerMinutes: config.waitTimerMinutes,
    // Production: the person who triggered a deploy cannot approve it, and admins cannot skip the approval.
    preventSelfReview: production,
    canAdminsBypass: !production,
    deploymentPolicy: production ? { kind: "tag", pattern: releaseTagGlob } : { kind: "branch", pattern: config.defaultBranch },
  };
  const previewEnvironment: EnvironmentSpec = {
    name: previewEnvironmentName(config.stack),
    url: undefined,
    reviewerUsers: [],
    reviewerTeams: [],
    waitTimerMinutes: 0,
    preventSelfReview: false,
    canAdminsBypass: true,
    deploymentPolicy: undefined,
  };

  return {
    stack: config.stack,
    repository: {
      owner,
      name,
      fullName: config.repository,
      defaultBranch: config.defaultBranch,
      developBranch: config.developBranch,
      visibility: config.repositoryVisibility,
    },
    governsRepository: governs,
    environment: deployEnvironment,
    previewEnvironment,
    secrets,
    variables,
    rulesets,
    actionsPermissions: governs
      ? {
          shaPinningRequired: true,
          allowedActions: "selected",
          githubOwnedAllowed: false,
          verifiedAllowed: false,
          patternsAllowed: allowedActionPatterns(),
        }
      : undefined,
    files: generatedFiles(config),
    diagram: pipelineDiagram({
      workflows: ownedWorkflows(config),
      environments: [deployEnvironment, previewEnvironment].map(diagramEnvironment),
      deployTarget: `Railway: ${config.railwayDomain}`,
    }),
    ship: buildShipSpec(config, handedOverRevision),
    stateBackendUrl: config.stateBackendUrl,
    secretAge: { rotatedAt: config.secretRotatedAt, maxAgeDays: config.secretMaxAgeDays },
    secretsRead: secretKeys.filter(
      (key) =>
        secrets.some((s) => s.configKey === key) || (needed.has(key) && secretDefinitions.some((d) => d.key === key && d.usedByProgram)),
    ),
  };
}
