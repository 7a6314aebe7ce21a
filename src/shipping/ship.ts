/**
 * What one stack ships and how, as data: which revision, the image's name,
 * tags, labels and cache, the deploy's settings, and whether production
 * promotes staging's image instead of building. Pure; `infra/` resolves the
 * revision from GitHub and turns the rest into resources.
 */
import { ConfigError, configKeys, type SecretKey, type StackConfig } from "../config";
import { isCommitSha } from "../formats";

/**
 * The environment variable through which a deploy workflow hands the program
 * the exact revision it ran for: the pushed commit (staging), the release or
 * dispatched tag (production).
 */
export const handedOverRevisionVariable = "DELIVERY_APP_REVISION";

/**
 * The commit the deploy workflow ran for (`github.sha`), handed over beside a
 * release tag: the program refuses to ship the tag when it names another
 * commit by then (it moved after the workflow started).
 */
export const handedOverCommitVariable = "DELIVERY_APP_REVISION_SHA";

/**
 * The token the image build clones a private app repository with, handed over
 * by the deploy workflow: one that can only read the repository's contents,
 * never the delivery App token `pulumi` itself runs with (BuildKit holds the
 * clone token, and a Dockerfile step can read it).
 */
export const cloneTokenVariable = "DELIVERY_CLONE_TOKEN";

/** Production ships releases only: a tag must be a published release; a pre-release only when allowed. */
export interface ReleaseRule {
  readonly allowPrerelease: boolean;
}

/** Where the revision to ship comes from. */
export type RevisionSource =
  | { readonly kind: "branch-head"; readonly branch: string }
  | { readonly kind: "latest-release" }
  | { readonly kind: "pinned-sha"; readonly sha: string }
  | {
      readonly kind: "pinned-tag";
      readonly tag: string;
      readonly release: ReleaseRule | undefined;
      /** The commit the workflow ran for, which the tag must still name. */
      readonly expectedSha?: string;
    };

/** A resolved revision; `sha` is undefined only where GitHub cannot be asked (the offline plan). */
export interface Revision {
  readonly sha: string | undefined;
  /** The release tag, when the revision is one. */
  readonly version: string | undefined;
  /** What BuildKit checks out: the tag, else the commit. */
  readonly gitRef: string | undefined;
}

export interface ImageSpec {
  /** `<registry>/<namespace>/<name>`, without tag. */
  readonly repository: string;
  /** The registry host (`docker.io` for Docker Hub). */
  readonly registry: string;
  readonly username: string;
  readonly platforms: readonly string[];
  /** The Dockerfile, relative to the app repository's root. */
  readonly dockerfile: string;
  /** Whether a preview builds the image (a Docker daemon is then needed). */
  readonly buildOnPreview: boolean;
  /** The app repository's clone URL, the BuildKit git context. */
  readonly gitUrl: string;
  readonly sourceUrl: string;
}

export interface DeploySpec {
  readonly projectId: string;
  readonly environmentId: string;
  readonly serviceId: string;
  readonly healthCheckPath: string;
  readonly healthCheckTimeoutSeconds: number;
  /** 2xx answers in a row the deploy's probe needs. */
  readonly healthCheckSuccesses: number;
  /** The bake window after go-live and its thresholds (src/railway/bakeVerdict.ts); 0 seconds: none. */
  readonly bake: {
    readonly seconds: number;
    readonly maxErrorRateIncrease: number;
    readonly maxLatencyRatio: number;
    readonly minRequests: number;
    readonly inconclusive: "pass" | "fail";
  };
  readonly healthUrl: string;
  readonly tokenKind: "account" | "project";
  /** Railway's own pre-deploy command (it runs in Railway, in the service's network); undefined clears it. */
  readonly preDeployCommand: string | undefined;
  /** The image repository is private: Railway pulls with the read-only `dockerhubPullToken` (a Pro plan feature). */
  readonly privateImage: boolean;
  /** Railway service variables, each read from a secret config key. */
  readonly variables: readonly { readonly name: string; readonly configKey: SecretKey }[];
}

/**
 * How the image that ships is obtained. Staging builds and, once its deploy
 * is healthy, marks the digest verified in the registry; production deploys
 * the digest staging verified for the same commit (looked up in the registry,
 * never in staging's state), and builds only when told to.
 */
export type ImageSource =
  | { readonly kind: "build"; readonly markVerified: boolean }
  /** `signingPublicKey`: staging's key; a digest it did not sign for this revision is never promoted. */
  | { readonly kind: "promote-verified"; readonly buildWhenUnverified: boolean; readonly signingPublicKey: string }
  /** `deployImage`: an image by digest, built elsewhere or an exact rollback. */
  | { readonly kind: "given"; readonly imageRef: string };

export interface ShipSpec {
  readonly revisionSource: RevisionSource;
  readonly image: ImageSpec;
  readonly imageSource: ImageSource;
  readonly deploy: DeploySpec;
}

/** The app's API keys, set as Railway service variables. */
export const serviceVariables = [
  { name: "ANTHROPIC_API_KEY", configKey: "anthropicApiKey" },
  { name: "OPENAI_API_KEY", configKey: "openaiApiKey" },
] as const satisfies readonly { name: string; configKey: SecretKey }[];

export const unresolved = "unresolved";

/**
 * What ships: the revision the workflow handed over, else the pinned
 * `appRevision`, else the branch head (staging) or the latest release
 * (production). A pin that contradicts the handed-over revision is refused:
 * the stack would silently ship something else than the workflow ran for.
 */
export function revisionSource(config: StackConfig, handedOver?: string, handedOverSha?: string): RevisionSource {
  const stack = config.stack;
  const pinned = config.appRevision;
  if (handedOverSha !== undefined && !isCommitSha(handedOverSha)) {
    throw new ConfigError(stack, [
      {
        key: handedOverCommitVariable,
        value: handedOverSha,
        allowed: "a full 40-character commit SHA",
        fix: `hand over the commit the workflow ran for, ${handedOverCommitVariable}=\${{ github.sha }}`,
        message: "is not a commit",
      },
    ]);
  }
  if (handedOver !== undefined && !configKeys.appRevision.schema.safeParse(handedOver).success) {
    throw new ConfigError(stack, [
      {
        key: handedOverRevisionVariable,
        value: handedOver,
        allowed: configKeys.appRevision.allowed,
        fix: `hand over the commit SHA (staging) or the release tag (production) the workflow ran for, e.g. ${handedOverRevisionVariable}=\${{ github.sha }}`,
        message: "is not a revision",
      },
    ]);
  }
  if (handedOver !== undefined && pinned !== undefined && handedOver !== pinned) {
    throw new ConfigError(stack, [
      {
        key: "appRevision",
        value: pinned,
        allowed: `not set, or the revision the workflow hands over (${handedOver})`,
        fix: `pulumi config rm appRevision --stack ${stack}`,
        message: "pins another revision than the one the workflow ran for",
      },
    ]);
  }
  const chosen = handedOver ?? pinned;
  const production = stack === "production";
  if (chosen !== undefined) {
    return isCommitSha(chosen)
      ? { kind: "pinned-sha", sha: chosen }
      : {
          kind: "pinned-tag",
          tag: chosen,
          release: production ? { allowPrerelease: config.allowPrerelease } : undefined,
          ...(handedOver !== undefined && handedOverSha !== undefined ? { expectedSha: handedOverSha } : {}),
        };
  }
  return production ? { kind: "latest-release" } : { kind: "branch-head", branch: config.defaultBranch };
}

export function imageSource(config: StackConfig): ImageSource {
  if (config.deployImage !== undefined) return { kind: "given", imageRef: config.deployImage };
  return config.stack === "production"
    ? // Validation requires the key wherever a stack promotes.
      { kind: "promote-verified", buildWhenUnverified: config.buildUnverifiedRelease, signingPublicKey: config.imageSigningPublicKey ?? "" }
    : { kind: "build", markVerified: true };
}

/** GitHub's own API host; any other base URL is GitHub Enterprise Server's (or a stand-in's), which serves git at its root. */
export const githubApiUrl = "https://api.github.com/";

/**
 * The web root the repository lives under, from the API base URL the GitHub
 * provider uses (`GITHUB_BASE_URL`): github.com for GitHub's own API, else the
 * Enterprise Server's host, whose API lives under `/api/v3/` and whose git
 * under `/<owner>/<repo>.git`.
 */
export function githubWebRoot(apiBaseUrl: string = githubApiUrl): string {
  const url = new URL(apiBaseUrl);
  if (url.host === "api.github.com") return "https://github.com/";
  return `${url.origin}${url.pathname.replace(/api\/v3\/?$/, "").replace(/\/?$/, "/")}`;
}

export function buildShipSpec(config: StackConfig, handedOverRevision?: string, handedOverSha?: string, githubBaseUrl?: string): ShipSpec {
  const repository = `${config.registry}/${config.dockerhubRepository}`;
  const web = githubWebRoot(githubBaseUrl);
  return {
    revisionSource: revisionSource(config, handedOverRevision, handedOverSha),
    imageSource: imageSource(config),
    image: {
      repository,
      registry: config.registry,
      username: config.dockerhubUsername,
      platforms: config.platforms,
      dockerfile: config.dockerfile,
      buildOnPreview: config.buildImageOnPreview,
      gitUrl: `${web}${config.repository}.git`,
      sourceUrl: `${web}${config.repository}`,
    },
    deploy: {
      projectId: config.railwayProjectId,
      environmentId: config.railwayEnvironmentId,
      serviceId: config.railwayServiceId,
      healthCheckPath: config.healthCheckPath,
      healthCheckTimeoutSeconds: config.healthCheckTimeoutSeconds,
      healthCheckSuccesses: config.healthCheckSuccesses,
      bake: {
        seconds: config.bakeSeconds,
        maxErrorRateIncrease: config.bakeMaxErrorRateIncrease,
        maxLatencyRatio: config.bakeMaxLatencyRatio,
        minRequests: config.bakeMinRequests,
        inconclusive: config.bakeInconclusive,
      },
      healthUrl: `https://${config.railwayDomain}${config.healthCheckPath}`,
      tokenKind: config.railwayTokenKind,
      preDeployCommand: config.preDeployCommand,
      privateImage: config.privateImageRepository,
      variables: serviceVariables,
    },
  };
}

export function shortSha(sha: string | undefined): string {
  return sha === undefined ? unresolved : sha.slice(0, 7);
}

/** The tag of the multi-platform image of a commit. */
export function commitTag(image: ImageSpec, revision: Revision): string {
  return `${image.repository}:sha-${shortSha(revision.sha)}`;
}

/** Whether what ships is a release (its image then carries the version tag too). Decided by the spec, not by GitHub's answer. */
export function shipsRelease(source: RevisionSource): boolean {
  return source.kind === "latest-release" || source.kind === "pinned-tag";
}

/** The release's version tag; "unresolved" stands in where GitHub cannot be asked (the offline plan). */
export function versionTag(image: ImageSpec, revision: Revision, release: boolean): string | undefined {
  return release ? `${image.repository}:${revision.version ?? unresolved}` : undefined;
}

/** `linux/arm64` -> `arm64`; `linux/arm/v7` -> `arm-v7`: the part of a tag that names the platform. */
export function platformSlug(platform: string): string {
  return platform.replace(/^linux\//, "").replace(/\//g, "-");
}

/** One platform's image of a commit, before the index joins them. */
export function platformTag(image: ImageSpec, revision: Revision, platform: string): string {
  return `${commitTag(image, revision)}-${platformSlug(platform)}`;
}

/** Each platform's own registry cache: the provider warns that multi-platform builds cache unreliably. */
export function platformCacheRef(image: ImageSpec, platform: string): string {
  return `${image.repository}:buildcache-${platformSlug(platform)}`;
}

/**
 * The tag staging puts on a digest once its deploy passed the health check;
 * production looks this tag up for the commit a release points at. The full
 * SHA: a short one could name two commits.
 */
export function verifiedTag(image: ImageSpec, sha: string): string {
  return `${image.repository}:verified-sha-${sha}`;
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

/**
 * How the docker provider's registry look-ups must name an image: Docker Hub
 * images without the `docker.io/` prefix (the provider then asks
 * registry-1.docker.io, Docker Hub's API host), others with their host.
 */
export function registryLookupName(image: ImageSpec, tag: string): string {
  const hubPrefix = "docker.io/";
  return tag.startsWith(hubPrefix) ? tag.slice(hubPrefix.length) : tag;
}

/** The address the docker provider's credentials are filed under. */
export function registryAuthAddress(image: ImageSpec): string {
  return image.registry === "docker.io" ? "registry-1.docker.io" : image.registry;
}

/** What the registry says about the verified tag of a commit (undefined: no such tag). */
export interface VerifiedImage {
  readonly digest: string;
  /** `os/architecture` of every manifest in the index. */
  readonly platforms: readonly string[];
}

export type PromotionDecision =
  | { readonly kind: "promote"; readonly imageRef: string }
  | { readonly kind: "build" }
  | { readonly kind: "refuse"; readonly reason: string };

/**
 * Build once, promote the same bytes: production deploys the digest staging
 * verified for this very commit, when it holds every configured platform.
 */
export function promotion(
  image: ImageSpec,
  revision: Revision,
  verified: VerifiedImage | undefined,
  buildWhenUnverified: boolean,
): PromotionDecision {
  const sha = revision.sha ?? unresolved;
  const tag = verifiedTag(image, sha);
  if (verified === undefined) {
    return buildWhenUnverified
      ? { kind: "build" }
      : {
          kind: "refuse",
          reason:
            `staging never verified commit ${sha} (${revision.version ?? "this revision"}): ${tag} is not in the registry. ` +
            "Deploy that commit to staging first (its deploy workflow marks it verified after the health check), " +
            "or let production build it: pulumi config set buildUnverifiedRelease true --stack production",
        };
  }
  // The registry's index names os/architecture; a variant (linux/arm/v7) is not part of it.
  const osArch = (platform: string): string => platform.split("/").slice(0, 2).join("/");
  const missing = image.platforms.filter((p) => !verified.platforms.includes(osArch(p)));
  if (missing.length > 0) {
    return {
      kind: "refuse",
      reason: `${tag} lacks ${missing.join(", ")} (it holds ${verified.platforms.join(", ") || "no platform"}): build every platform in staging first`,
    };
  }
  return { kind: "promote", imageRef: digestRef(image.repository, verified.digest) };
}

/**
 * What staging's signature of a digest claims, beside the digest itself: the
 * commit it was built from and the repository it belongs to (cosign's
 * annotations, `cosign verify -a revision=<sha>` checks them too). Production
 * promotes a digest only with a signature claiming the commit it ships.
 */
export function signedAnnotations(repository: string, sha: string): Readonly<Record<string, string>> {
  return { repository, revision: sha, verifiedBy: "staging" };
}

/**
 * Why production refuses a digest staging's verified tag names, and what to
 * do: the tag is only a pointer, which anyone holding the registry token can
 * move; staging's signature is what vouches for the digest.
 */
export function unsignedReason(imageRef: string, found: string): string {
  return (
    `${imageRef} carries no valid signature of staging's for this commit (${found}). ` +
    "Either staging never signed it (deploy that commit to staging first: its deploy signs the digest after the health check), " +
    "or the verified tag was moved to a digest staging did not sign (find out who holds the registry token), " +
    "or staging signs with another key (set imageSigningPublicKey in both stacks to staging's: pulumi config set imageSigningPublicKey --stack production < image-signing.pub)."
  );
}
