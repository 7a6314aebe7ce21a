import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import {
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
    // The registry does not delete tags through its API (Docker Hub): deleting the resource must leave the image alone.
    const childOpts = { parent: this, retainOnDelete: true };

    let shipped: pulumi.Output<string>;
    if (args.existing !== undefined) {
      shipped = pulumi.output(args.existing);
    } else {
      const cacheTo = (platform: string): dockerbuild.types.input.CacheToArgs[] => [
        { registry: { ref: platformCacheRef(image, platform), mode: dockerbuild.CacheMode.Max, imageManifest: true, ociMediaTypes: true } },
      ];
      const builds = image.platforms.map(
        (platform) =>
          new dockerbuild.Image(
            `${name}-image-${platformSlug(platform)}`,
            {
              context: { location: gitContext(image, revision) },
              // BuildKit reads `Dockerfile` from the git context by itself. docker-build checks a named
              // Dockerfile on the local disk (its Check opens the path), so another name must also exist
              // at that path where the program runs: the README says so.
              ...(image.dockerfile === "Dockerfile" ? {} : { dockerfile: { location: image.dockerfile } }),
              platforms: [platform as dockerbuild.Platform],
              tags: [platformTag(image, revision, platform)],
              labels: ociLabels(image, revision),
              registries: [registry],
              ...(args.gitToken === undefined
                ? {}
                : {
                    secrets: { GIT_AUTH_TOKEN: args.gitToken },
                    // A workflow's App token is new on every run; a new token alone is not a change.
                    ignoreSecretsInDiffCalculation: ["GIT_AUTH_TOKEN"],
                  }),
              push: true,
              buildOnPreview: image.buildOnPreview,
              cacheFrom: [{ registry: { ref: platformCacheRef(image, platform) } }],
              // docker-build keeps cacheTo in a preview build (it only turns push off): a build that runs in
              // previews must not write the cache the deploys build from, so a cache-only build below does.
              ...(image.buildOnPreview ? {} : { cacheTo: cacheTo(platform) }),
            },
            childOpts,
          ),
      );
      if (image.buildOnPreview) {
        // The cache writer: the same build again, after the real one (the builder's local cache makes it cheap),
        // exporting only the cache. It never builds in a preview and pushes nothing, and its inputs are the same
        // in a preview and an update, so an unchanged stack still previews with no changes.
        image.platforms.forEach(
          (platform, i) =>
            new dockerbuild.Image(
              `${name}-cache-${platformSlug(platform)}`,
              {
                context: { location: gitContext(image, revision) },
                ...(image.dockerfile === "Dockerfile" ? {} : { dockerfile: { location: image.dockerfile } }),
                platforms: [platform as dockerbuild.Platform],
                labels: ociLabels(image, revision),
                registries: [registry],
                ...(args.gitToken === undefined
                  ? {}
                  : { secrets: { GIT_AUTH_TOKEN: args.gitToken }, ignoreSecretsInDiffCalculation: ["GIT_AUTH_TOKEN"] }),
                push: false,
                exports: [{ cacheonly: {} }],
                buildOnPreview: false,
                cacheFrom: [{ registry: { ref: platformCacheRef(image, platform) } }],
                cacheTo: cacheTo(platform),
              },
              { ...childOpts, dependsOn: builds.slice(i, i + 1) },
            ),
        );
      }
      const index = new dockerbuild.Index(
        `${name}-index`,
        { sources: builds.map((b) => b.ref), tag: commitTag(image, revision), push: true, registry },
        childOpts,
      );
      shipped = index.ref.apply((ref) => digestRef(image.repository, ref.slice(ref.indexOf("@") + 1)));
    }

    const version = versionTag(image, revision, args.release);
    if (version !== undefined) {
      new dockerbuild.Index(`${name}-version-tag`, { sources: [shipped], tag: version, push: true, registry }, childOpts);
    }
    this.imageRef = shipped;
    this.registerOutputs({ imageRef: this.imageRef });
  }
}
