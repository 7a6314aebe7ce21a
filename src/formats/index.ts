/**
 * The one definition of each reference format the pipeline passes between
 * GitHub, the registry and Railway. Config validation, the workflows' shell
 * checks, the policy pack and the deploy command all read these, so a value
 * one accepts is never refused by another. The bottom layer: imports nothing.
 */

/** A full commit SHA, as GitHub names a commit (`github.sha`). */
export const commitShaPattern = /^[0-9a-f]{40}$/;

/**
 * A release tag: `v` and a semantic version, with an optional pre-release part
 * (`v1.4.2`, `v1.5.0-rc.1`). The source is also a POSIX extended regular
 * expression, so the workflows' bash `[[ =~ ]]` checks use it unchanged.
 */
export const releaseTagPattern = /^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;

/** The tag filter (a GitHub glob) that lets only release tags reach production's environment. */
export const releaseTagGlob = "v*";

/** An image pinned by digest: the reference ends in `@sha256:` and 64 hex digits. */
export const digestSuffixPattern = /@sha256:[0-9a-f]{64}$/;

export function isCommitSha(value: string): boolean {
  return commitShaPattern.test(value);
}

export function isReleaseTag(value: string): boolean {
  return releaseTagPattern.test(value);
}

export function isImageByDigest(image: string): boolean {
  return digestSuffixPattern.test(image);
}

/** The Linux platforms BuildKit (and @pulumi/docker-build's `Platform` type) knows, as `platforms` takes them. */
export const supportedPlatforms = [
  "linux/amd64",
  "linux/arm64",
  "linux/arm",
  "linux/386",
  "linux/ppc64le",
  "linux/s390x",
  "linux/riscv64",
] as const;

/** What the image is built for when a stack names no `platforms`; the policy pack checks the same list by default. */
export const defaultPlatforms: readonly string[] = ["linux/amd64", "linux/arm64"];
