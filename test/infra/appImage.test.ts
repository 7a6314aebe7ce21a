// The image build's inputs, per platform: the build that ships and the cache writer that previews never run.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { cacheWriterArgs, platformBuildArgs, type BuildInputs } from "../../infra/appImage";
import type { ImageSpec } from "../../src/pipeline";

const image: ImageSpec = {
  repository: "docker.io/acme/app",
  registry: "docker.io",
  username: "acme",
  platforms: ["linux/amd64", "linux/arm64"],
  dockerfile: "Dockerfile",
  buildOnPreview: false,
  gitUrl: "https://github.com/acme/app.git",
  sourceUrl: "https://github.com/acme/app",
};
const registry = { address: "docker.io", username: "acme", password: "token" };
const build = (over: Partial<ImageSpec> = {}, gitToken?: pulumi.Output<string>): BuildInputs => ({
  image: { ...image, ...over },
  revision: { sha: "0123456789abcdef0123456789abcdef01234567", version: undefined, gitRef: "0123456789abcdef0123456789abcdef01234567" },
  registry,
  gitToken,
});
const cacheRef = "docker.io/acme/app:buildcache-arm64";

describe("platformBuildArgs", () => {
  it("builds one platform from the git context, pushes its tag, and reads and writes its own cache", () => {
    const args = platformBuildArgs(build(), "linux/arm64");
    expect(args).toMatchObject({
      platforms: ["linux/arm64"],
      push: true,
      buildOnPreview: false,
      registries: [registry],
      cacheFrom: [{ registry: { ref: cacheRef } }],
      cacheTo: [{ registry: { ref: cacheRef, mode: "max", imageManifest: true, ociMediaTypes: true } }],
    });
    expect(args.tags).toEqual(["docker.io/acme/app:sha-0123456-arm64"]);
    expect(args).not.toHaveProperty("dockerfile");
    expect(args).not.toHaveProperty("secrets");
  });

  it("writes no cache from a build that runs in previews, names another Dockerfile, and passes a clone token as a build secret", () => {
    const token = pulumi.secret("git");
    const args = platformBuildArgs(build({ buildOnPreview: true, dockerfile: "docker/App.Dockerfile" }, token), "linux/amd64");
    expect(args.buildOnPreview).toBe(true);
    expect(args).not.toHaveProperty("cacheTo");
    expect(args.dockerfile).toEqual({ location: "docker/App.Dockerfile" });
    expect(args.secrets).toEqual({ GIT_AUTH_TOKEN: token });
    expect(args.ignoreSecretsInDiffCalculation).toEqual(["GIT_AUTH_TOKEN"]);
  });
});

describe("cacheWriterArgs", () => {
  it("is the same build exporting only the cache: no tag, no push, never in a preview", () => {
    const args = cacheWriterArgs(build({ buildOnPreview: true }), "linux/arm64");
    expect(args).toMatchObject({
      platforms: ["linux/arm64"],
      push: false,
      exports: [{ cacheonly: {} }],
      buildOnPreview: false,
      cacheFrom: [{ registry: { ref: cacheRef } }],
      cacheTo: [{ registry: { ref: cacheRef, mode: "max" } }],
    });
    expect(args).not.toHaveProperty("tags");
    const shared = (a: object) => Object.fromEntries(Object.entries(a).filter(([k]) => ["context", "labels", "registries"].includes(k)));
    expect(shared(args)).toEqual(shared(platformBuildArgs(build({ buildOnPreview: true }), "linux/arm64")));
  });
});
