// The one definition of each reference format, and that every reader uses it: a release tag the
// config accepts is one the production workflow's shell check accepts, and the other way round.
import { runSync } from "./helpers/runSync";
import { describe, expect, it } from "vitest";
import { configKeys, defaults } from "../src/config";
import {
  commitShaPattern,
  defaultPlatforms,
  isCommitSha,
  isImageByDigest,
  isReleaseTag,
  releaseTagGlob,
  releaseTagPattern,
  supportedPlatforms,
} from "../src/formats";

const sha = "3f786850e387550fdab836ed7e6dc881de23001b";
const digest = `sha256:${"a".repeat(64)}`;

describe("reference formats", () => {
  it.each([
    ["v1.4.2", true],
    ["v1.5.0-rc.1", true],
    ["v10.0.0", true],
    ["1.4.2", false],
    ["v1.4", false],
    ["v1.4.2\nrm -rf /", false],
    ["release-1", false],
  ])("release tag %j: %s", (tag, ok) => {
    expect(isReleaseTag(tag)).toBe(ok);
    expect(configKeys.appRevision.schema.safeParse(tag).success).toBe(ok);
  });

  it("commit SHAs are full and lowercase, as GitHub names them", () => {
    expect(isCommitSha(sha)).toBe(true);
    expect(isCommitSha(sha.slice(0, 7))).toBe(false);
    expect(isCommitSha(sha.toUpperCase())).toBe(false);
    expect(commitShaPattern.source).toBe("^[0-9a-f]{40}$");
    expect(configKeys.appRevision.schema.safeParse(sha).success).toBe(true);
  });

  it("images by digest end in @sha256 and 64 hex digits; a tag is not a digest", () => {
    expect(isImageByDigest(`docker.io/acme/app@${digest}`)).toBe(true);
    expect(isImageByDigest("docker.io/acme/app:latest")).toBe(false);
    expect(isImageByDigest(`docker.io/acme/app@sha256:${"a".repeat(63)}`)).toBe(false);
    expect(configKeys.deployImage.schema.safeParse(`docker.io/acme/app@${digest}`).success).toBe(true);
    expect(configKeys.deployImage.schema.safeParse("docker.io/acme/app:v1.4.2").success).toBe(false);
  });

  it("the glob that lets tags reach production covers every release tag", () => {
    expect(releaseTagGlob).toBe("v*");
    expect(releaseTagPattern.source.startsWith("^v")).toBe(true);
  });

  // The workflows check tags with bash's =~ (POSIX extended regular expressions): the same source must mean the same there.
  it.each(["v1.4.2", "v1.5.0-rc.1", "1.4.2", "v1.4", "vx.y.z"])("bash's =~ with the same pattern agrees on %j", (tag) => {
    const script = `if [[ "$TAG" =~ ${releaseTagPattern.source} ]]; then echo yes; else echo no; fi`;
    const answer = runSync("bash", ["-c", script], { env: { TAG: tag } }).stdout.trim();
    expect(answer).toBe(isReleaseTag(tag) ? "yes" : "no");
  });

  it("the platforms setting takes exactly the platforms BuildKit knows, and its default is two of them", () => {
    for (const platform of supportedPlatforms) expect(configKeys.platforms.schema.safeParse([platform]).success, platform).toBe(true);
    for (const platform of ["linux/mips", "windows/amd64", "amd64", "linux/arm64/v8"])
      expect(configKeys.platforms.schema.safeParse([platform]).success, platform).toBe(false);
    expect(defaults.platforms).toEqual(defaultPlatforms);
    for (const platform of defaultPlatforms) expect(supportedPlatforms).toContain(platform);
  });
});
