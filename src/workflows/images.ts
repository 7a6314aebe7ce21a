/**
 * Every container image a generated workflow runs, pinned by digest: a tag can
 * be moved by whoever controls it, and setup-qemu-action runs its image
 * `--privileged` on the runner. The digests are those of each tag's
 * multi-platform index on Docker Hub, as public pinned repositories record them
 * (the tag is kept beside the digest for people: the digest is what is pulled).
 * A test refuses any image in the generated YAML that is not pinned so.
 */
export const pinnedImages = {
  /** QEMU's binfmt_misc installer, which setup-qemu-action runs privileged. */
  binfmt: "docker.io/tonistiigi/binfmt:qemu-v10.2.3@sha256:400a4873b838d1b89194d982c45e5fb3cda4593fbfd7e08a02e76b03b21166f0",
  /** The BuildKit daemon setup-buildx-action starts; it holds the registry login and the clone token while it builds. */
  buildkit: "docker.io/moby/buildkit:v0.33.1@sha256:cec9f139f45e93c5c69c60f8b07cfad9f43f4ef6b6a6cd917527fea5ff2e3dea",
  /** The Redis service the tests run beside. */
  redis: "docker.io/library/redis:7-alpine@sha256:6ab0b6e7381779332f97b8ca76193e45b0756f38d4c0dcda72dbb3c32061ab99",
} as const;

/** The Buildx CLI setup-buildx-action installs, by exact release rather than its floating default. */
export const buildxVersion = "v0.35.0";

/** An image reference pinned by a sha256 digest. */
export const pinnedImagePattern = /^[a-z0-9.-]+(?::[0-9]+)?\/[a-z0-9._/-]+(?::[A-Za-z0-9._-]+)?@sha256:[0-9a-f]{64}$/;
