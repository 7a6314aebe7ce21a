import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import {
  buildFailureAdvice,
  commitTag,
  digestRef,
  gitContext,
  ociLabels,
  platformCacheRef,
  platformSlug,
  platformTag,
  versionTag,
  type ImageSpec,
  type Revision,
} from "../src/pipeline";

export interface AppImageArgs {
  /** The stack, for the fixes a failed build names. */
  readonly stack: string;
  readonly image: ImageSpec;
  readonly revision: Revision;
  /** The registry access token, a Pulumi secret. */
  readonly registryToken: pulumi.Output<string>;
  /**
   * An image by digest to ship instead of building one: the digest staging
   * verified for this commit, or the one `deployImage` names.
   */
  readonly existing: string | undefined;
  /** Whether what ships is a release: the image then gets the version tag. */
  readonly release: boolean;
  /** Token BuildKit clones a private app repository with (its `GIT_AUTH_TOKEN` build secret). */
  readonly gitToken: pulumi.Output<string> | undefined;
}

/** The registry login every image resource uses. */
export function registryLogin(image: ImageSpec, token: pulumi.Output<string>): dockerbuild.types.input.RegistryArgs {
  return { address: image.registry, username: image.username, password: token };
}

/** What one build of the image needs: the image, the revision it is built from, the registry login and the clone token. */
export interface BuildInputs {
  readonly image: ImageSpec;
  readonly revision: Revision;
  readonly registry: dockerbuild.types.input.RegistryArgs;
  readonly gitToken: pulumi.Output<string> | undefined;
}

/** What the build of one platform and its cache writer share: the source, the platform, labels, login and cache. */
function sharedBuildArgs(build: BuildInputs, platform: string): Omit<dockerbuild.ImageArgs, "push"> {
  const { image, revision } = build;
  return {
    context: { location: gitContext(image, revision) },
    // BuildKit reads `Dockerfile` from the git context by itself. docker-build checks a named
    // Dockerfile on the local disk (its Check opens the path), so another name must also exist
    // at that path where the program runs: docs/shipping.md says so.
    ...(image.dockerfile === "Dockerfile" ? {} : { dockerfile: { location: image.dockerfile } }),
    platforms: [platform as dockerbuild.Platform],
    labels: ociLabels(image, revision),
    registries: [build.registry],
    ...(build.gitToken === undefined
      ? {}
      : {
          secrets: { GIT_AUTH_TOKEN: build.gitToken },
          // A workflow's App token is new on every run; a new token alone is not a change.
          ignoreSecretsInDiffCalculation: ["GIT_AUTH_TOKEN"],
        }),
    cacheFrom: [{ registry: { ref: platformCacheRef(image, platform) } }],
  };
}

function cacheTo(image: ImageSpec, platform: string): dockerbuild.types.input.CacheToArgs[] {
  return [
    { registry: { ref: platformCacheRef(image, platform), mode: dockerbuild.CacheMode.Max, imageManifest: true, ociMediaTypes: true } },
  ];
}

/** The build of one platform, pushed with its platform tag. */
export function platformBuildArgs(build: BuildInputs, platform: string): dockerbuild.ImageArgs {
  const { image } = build;
  return {
    ...sharedBuildArgs(build, platform),
    tags: [platformTag(image, build.revision, platform)],
    push: true,
    buildOnPreview: image.buildOnPreview,
    // docker-build keeps cacheTo in a preview build (it only turns push off): a build that runs in
    // previews must not write the cache the deploys build from, so a cache-only build does.
    ...(image.buildOnPreview ? {} : { cacheTo: cacheTo(image, platform) }),
  };
}

/**
 * The cache writer of one platform: the same build again, after the real one (the builder's local cache
 * makes it cheap), exporting only the cache. It never builds in a preview and pushes nothing, and its
 * inputs are the same in a preview and an update, so an unchanged stack still previews with no changes.
 */
export function cacheWriterArgs(build: BuildInputs, platform: string): dockerbuild.ImageArgs {
  return {
    ...sharedBuildArgs(build, platform),
    push: false,
    exports: [{ cacheonly: {} }],
    buildOnPreview: false,
    cacheTo: cacheTo(build.image, platform),
  };
}

/**
 * The app's multi-platform image: one cached build per platform from the app
 * repository (BuildKit git context), joined by an index tagged with the
 * commit; or an existing digest, given the release's version tag.
 *
 * Every input is the same in a preview and an update of the same stack (push
 * is always on: the provider never exports during a preview), so an unchanged
 * stack previews with no changes and the drift check can pass. With
 * `buildOnPreview`, the builds previews run write no cache; a cache-only build
 * per platform, which previews never run, writes it.
 */
export class AppImage extends pulumi.ComponentResource {
  /** `<registry>/<repo>@sha256:<digest>`: what Railway deploys. */
  public readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: AppImageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("delivery:docker:AppImage", name, {}, opts);
    const { image, revision } = args;
    const registry = registryLogin(image, args.registryToken);
    const shipped =
      args.existing === undefined
        ? this.build(name, args, { image, revision, registry, gitToken: args.gitToken })
        : pulumi.output(args.existing);
    const version = versionTag(image, revision, args.release);
    if (version !== undefined) {
      new dockerbuild.Index(
        `${name}-version-tag`,
        { sources: [shipped], tag: version, push: true, registry },
        this.childOpts(args, `${name}-version-tag`),
      );
    }
    this.imageRef = shipped;
    this.registerOutputs({ imageRef: this.imageRef });
  }

  /**
   * The registry does not delete tags through its API (Docker Hub): deleting a resource must leave the image alone.
   * A failed build or push says which image and platform failed, and the fix (`platform`: a per-platform build).
   */
  private childOpts(args: AppImageArgs, resource: string, platform?: string): pulumi.CustomResourceOptions {
    const advice = new pulumi.ErrorHook(`${resource}-failure-advice`, (failed) => {
      const message = buildFailureAdvice({
        stack: args.stack,
        image: args.image.repository,
        platform,
        revision: args.revision.sha ?? args.revision.gitRef ?? "unresolved",
        dockerfile: args.image.dockerfile,
        errors: failed.errors,
      });
      void pulumi.log.error(message);
      // Never retried: a build that failed once fails the same way again.
      return false;
    });
    return { parent: this, retainOnDelete: true, hooks: { onError: [advice] } };
  }

  /** One build per platform (and its cache writer), joined by the commit-tagged index; returns the index's digest reference. */
  private build(name: string, args: AppImageArgs, build: BuildInputs): pulumi.Output<string> {
    const { image } = build;
    const builds = image.platforms.map((platform) => {
      const resource = `${name}-image-${platformSlug(platform)}`;
      return new dockerbuild.Image(resource, platformBuildArgs(build, platform), this.childOpts(args, resource, platform));
    });
    if (image.buildOnPreview) {
      image.platforms.forEach(
        (platform, i) =>
          new dockerbuild.Image(`${name}-cache-${platformSlug(platform)}`, cacheWriterArgs(build, platform), {
            ...this.childOpts(args, `${name}-cache-${platformSlug(platform)}`, platform),
            dependsOn: builds.slice(i, i + 1),
          }),
      );
    }
    const index = new dockerbuild.Index(
      `${name}-index`,
      { sources: builds.map((b) => b.ref), tag: commitTag(image, build.revision), push: true, registry: build.registry },
      this.childOpts(args, `${name}-index`),
    );
    return index.ref.apply((ref) => digestRef(image.repository, ref.slice(ref.indexOf("@") + 1)));
  }
}
