/**
 * What one stack ships and how, as data: which revision, the image's name,
 * tags, labels and cache, the deploy's settings, and whether production
 * promotes staging's image instead of building. Pure; `infra/` resolves the
 * revision from GitHub and turns the rest into resources.
 */
import type { SecretKey, StackConfig } from "../config";

/** Where the revision to ship comes from. */
export type RevisionSource =
  | { readonly kind: "branch-head"; readonly branch: string }
  | { readonly kind: "latest-release" }
  | { readonly kind: "pinned-sha"; readonly sha: string }
  | { readonly kind: "pinned-tag"; readonly tag: string };

/** A resolved revision; `sha` is undefined only where GitHub cannot be asked (the offline plan). */
export interface Revision {
  readonly sha: string | undefined;
  /** The release tag, when the revision is one. */
  readonly version: string | undefined;
  /** What BuildKit checks out: the tag, else the commit. */
  readonly gitRef: string | undefined;
}

export interface ImageSpec {
  /** `docker.io/<namespace>/<name>`, without tag. */
  readonly repository: string;
  readonly registry: "docker.io";
  readonly username: string;
  readonly platforms: readonly string[];
  /** Whether a preview builds the image (a Docker daemon is then needed). */
  readonly buildOnPreview: boolean;
  /** Registry cache shared by every build of this repository. */
  readonly cacheRef: string;
  /** The app repository's clone URL, the BuildKit git context. */
  readonly gitUrl: string;
  readonly sourceUrl: string;
}

export interface DeploySpec {
  readonly projectId: string;
  readonly environmentId: string;
  readonly serviceId: string;
  readonly healthcheckPath: string;
  readonly healthcheckTimeoutSeconds: number;
  readonly healthUrl: string;
  readonly tokenKind: "account" | "project";
  readonly preDeployCommand: string | undefined;
  /** Railway service variables, each read from a secret config key. */
  readonly variables: readonly { readonly name: string; readonly configKey: SecretKey }[];
}

export interface ShipSpec {
  readonly revisionSource: RevisionSource;
  readonly image: ImageSpec;
  readonly deploy: DeploySpec;
  /** Production reads staging's outputs to deploy the digest staging built. */
  readonly promoteFrom: string | undefined;
}

/** The app's API keys, set as Railway service variables. */
export const serviceVariables = [
  { name: "ANTHROPIC_API_KEY", configKey: "anthropicApiKey" },
  { name: "OPENAI_API_KEY", configKey: "openaiApiKey" },
] as const satisfies readonly { name: string; configKey: SecretKey }[];

export const unresolved = "unresolved";

export function revisionSource(config: StackConfig): RevisionSource {
  const pinned = config.appRevision;
  if (pinned !== undefined) return /^[0-9a-f]{40}$/.test(pinned) ? { kind: "pinned-sha", sha: pinned } : { kind: "pinned-tag", tag: pinned };
  return config.stack === "production" ? { kind: "latest-release" } : { kind: "branch-head", branch: config.defaultBranch };
}

export function buildShipSpec(config: StackConfig): ShipSpec {
  const repository = `docker.io/${config.dockerhubRepository}`;
  return {
    revisionSource: revisionSource(config),
    image: {
      repository,
      registry: "docker.io",
      username: config.dockerhubUsername,
      platforms: config.platforms,
      buildOnPreview: config.buildImageOnPreview,
      cacheRef: `${repository}:buildcache`,
      gitUrl: `https://github.com/${config.repository}.git`,
      sourceUrl: `https://github.com/${config.repository}`,
    },
    deploy: {
      projectId: config.railwayProjectId,
      environmentId: config.railwayEnvironmentId,
      serviceId: config.railwayServiceId,
      healthcheckPath: config.healthCheckPath,
      healthcheckTimeoutSeconds: config.healthCheckTimeoutSeconds,
      healthUrl: `https://${config.railwayDomain}${config.healthCheckPath}`,
      tokenKind: config.railwayTokenKind,
      preDeployCommand: config.preDeployCommand,
      variables: serviceVariables,
    },
    promoteFrom: config.stack === "production" ? config.stagingStackReference : undefined,
  };
}

export function shortSha(sha: string | undefined): string {
  return sha === undefined ? unresolved : sha.slice(0, 7);
}

/** `sha-<short>` always; the version too for a release. */
export function imageTags(image: ImageSpec, revision: Revision): string[] {
  return [`${image.repository}:sha-${shortSha(revision.sha)}`, ...(revision.version === undefined ? [] : [`${image.repository}:${revision.version}`])];
}

export function ociLabels(image: ImageSpec, revision: Revision): Record<string, string> {
  return {
    "org.opencontainers.image.source": image.sourceUrl,
    "org.opencontainers.image.revision": revision.sha ?? unresolved,
    "org.opencontainers.image.version": revision.version ?? shortSha(revision.sha),
  };
}

/** BuildKit's git context: `<clone url>#<ref>`. */
export function gitContext(image: ImageSpec, revision: Revision): string {
  return `${image.gitUrl}#${revision.gitRef ?? unresolved}`;
}

export function digestRef(repository: string, digest: string): string {
  return `${repository}@${digest}`;
}

/** What staging exported about its last shipment (its stack outputs). */
export interface StagingShipment {
  readonly revision: unknown;
  readonly imageRef: unknown;
}

/**
 * Build once, promote the same bytes: production deploys staging's digest
 * when staging shipped exactly this commit; otherwise it builds.
 */
export function promotion(revision: Revision, staging: StagingShipment | undefined): { readonly kind: "build" } | { readonly kind: "promote"; readonly imageRef: string } {
  if (revision.sha === undefined || staging === undefined) return { kind: "build" };
  if (staging.revision !== revision.sha || typeof staging.imageRef !== "string" || !/@sha256:[0-9a-f]{64}$/.test(staging.imageRef)) return { kind: "build" };
  return { kind: "promote", imageRef: staging.imageRef };
}
