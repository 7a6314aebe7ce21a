import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { digestRef, gitContext, imageTags, ociLabels, type ImageSpec, type Revision } from "../src/pipeline";

export interface AppImageArgs {
  readonly image: ImageSpec;
  readonly revision: Revision;
  /** The Docker Hub access token, a Pulumi secret. */
  readonly registryToken: pulumi.Output<string>;
  /**
   * Staging's image of this very commit (`repo@sha256:...`): tag it with the
   * release version instead of building again.
   */
  readonly promote: string | undefined;
  /** Token BuildKit clones a private app repository with (its `GIT_AUTH_TOKEN` build secret). */
  readonly gitToken: pulumi.Output<string> | undefined;
  /** `pulumi preview`: build without pushing (docker-build skips preview builds when `push` is set, its issue #252). */
  readonly dryRun: boolean;
}

/**
 * The app's multi-platform image on Docker Hub, built once per commit from the
 * app repository (BuildKit git context), or promoted from staging's build.
 */
export class AppImage extends pulumi.ComponentResource {
  /** `docker.io/<repo>@sha256:<digest>`: what Railway deploys. */
  public readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: AppImageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("delivery:docker:AppImage", name, {}, opts);
    const { image, revision } = args;
    const registry = { address: image.registry, username: image.username, password: args.registryToken };
    // Docker Hub does not delete tags through the registry API: deleting the resource must leave the image alone.
    const childOpts = { parent: this, retainOnDelete: true };

    if (args.promote !== undefined) {
      const promoted = args.promote;
      if (revision.version !== undefined) {
        new dockerbuild.Index(`${name}-version-tag`, { sources: [promoted], tag: `${image.repository}:${revision.version}`, push: !args.dryRun, registry }, childOpts);
      }
      this.imageRef = pulumi.output(promoted);
    } else {
      const built = new dockerbuild.Image(
        `${name}-image`,
        {
          context: { location: gitContext(image, revision) },
          platforms: image.platforms.map((p) => p as dockerbuild.Platform),
          tags: imageTags(image, revision),
          labels: ociLabels(image, revision),
          registries: [registry],
          ...(args.gitToken === undefined ? {} : { secrets: { GIT_AUTH_TOKEN: args.gitToken } }),
          push: !args.dryRun,
          buildOnPreview: image.buildOnPreview,
          cacheFrom: [{ registry: { ref: image.cacheRef } }],
          // mode max keeps intermediate layers; one export holds every platform's layers in the image manifest.
          cacheTo: [{ registry: { ref: image.cacheRef, mode: dockerbuild.CacheMode.Max, imageManifest: true, ociMediaTypes: true } }],
        },
        childOpts,
      );
      this.imageRef = built.digest.apply((digest) => digestRef(image.repository, digest));
    }
    this.registerOutputs({ imageRef: this.imageRef });
  }
}
