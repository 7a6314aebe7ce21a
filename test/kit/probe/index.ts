// The kit's probe program (see Pulumi.yaml): one docker-build Image per platform, each with its own
// registry cache, pushed to the kit's registry with `registries` credentials, joined by an Index,
// as the project's pipeline builds its image. Settings come from stack config, written by probe.sh.
import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const registry = config.require("registry");
const username = config.require("registryUser");
const password = config.requireSecret("registryPassword");
const baseImage = config.require("baseImage");
// A local folder, or a git URL such as http://127.0.0.1:<port>/app.git#<commit>.
const context = config.require("context");
const revision = config.require("revision");
const repository = `${registry}/${config.get("repository") ?? "probe/app"}`;
const platforms = (config.get("platforms") ?? "linux/amd64,linux/arm64").split(",");
// Unset: the provider picks the builder itself (the current one in the buildx store).
const builderName = config.get("builder");

const registries = [{ address: registry, username, password }];
const images = platforms.map((platform) => {
  const arch = platform.split("/")[1] ?? platform;
  const cache = `${repository}:cache-${arch}`;
  return new dockerbuild.Image(`app-${arch}`, {
    context: { location: context },
    platforms: [platform as dockerbuild.Platform],
    buildArgs: { BASE_IMAGE: baseImage, REVISION: revision },
    push: true,
    tags: [`${repository}:${revision}-${arch}`],
    registries,
    cacheFrom: [{ registry: { ref: cache } }],
    cacheTo: [{ registry: { ref: cache, mode: dockerbuild.CacheMode.Max, imageManifest: true, ociMediaTypes: true } }],
    ...(builderName === undefined ? {} : { builder: { name: builderName } }),
  });
});

const index = new dockerbuild.Index("app", {
  tag: `${repository}:${revision}`,
  sources: images.map((image) => image.ref),
  push: true,
  registry: { address: registry, username, password },
});

export const imageRefs = images.map((image) => image.ref);
export const indexRef = index.ref;
