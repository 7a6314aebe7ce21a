import { describe, expect, it } from "vitest";
import { ConfigError, validateStackConfig } from "../../src/config";
import {
  buildShipSpec,
  commitTag,
  platformCacheRef,
  platformTag,
  promotion,
  registryAuthAddress,
  registryLookupName,
  revisionSource,
  shipsRelease,
  shortSha,
  signedAnnotations,
  unsignedReason,
  verifiedTag,
  versionTag,
} from "../../src/pipeline";
import { variablesHash } from "../../src/railway/variablesHash";
import { fixtureSigningPublicKey, rawConfig, stackWithSecrets } from "../helpers/stacks";

const configOf = (stack: string, overrides: Record<string, string> = {}) =>
  validateStackConfig(rawConfig(stackWithSecrets(stack, undefined, overrides), stack)).config;
const sha = "0123456789abcdef0123456789abcdef01234567";

describe("which revision ships", () => {
  it("staging: the default branch head; production: the latest release", () => {
    expect(revisionSource(configOf("staging"))).toEqual({ kind: "branch-head", branch: "main" });
    expect(revisionSource(configOf("production"))).toEqual({ kind: "latest-release" });
  });
  it("appRevision pins a commit or a tag (manual rollback)", () => {
    expect(revisionSource(configOf("production", { appRevision: sha }))).toEqual({ kind: "pinned-sha", sha });
    expect(revisionSource(configOf("staging", { appRevision: "v1.2.0" }))).toEqual({
      kind: "pinned-tag",
      tag: "v1.2.0",
      release: undefined,
    });
  });
});

describe("the revision a deploy workflow hands over", () => {
  it("is what ships: the pushed commit on staging, the triggering tag on production, which must be a release", () => {
    expect(revisionSource(configOf("staging"), sha)).toEqual({ kind: "pinned-sha", sha });
    expect(revisionSource(configOf("production"), "v1.4.2")).toEqual({
      kind: "pinned-tag",
      tag: "v1.4.2",
      release: { allowPrerelease: false },
    });
    expect(revisionSource(configOf("production", { allowPrerelease: "true" }), "v1.5.0-rc.1")).toEqual({
      kind: "pinned-tag",
      tag: "v1.5.0-rc.1",
      release: { allowPrerelease: true },
    });
    // Rolling back is running the production workflow on an older tag: that tag ships, not the latest.
    expect(revisionSource(configOf("production"), "v1.0.0")).toMatchObject({ kind: "pinned-tag", tag: "v1.0.0" });
  });

  it("a pinned appRevision that contradicts it is refused, one that agrees is fine", () => {
    expect(() => revisionSource(configOf("production", { appRevision: "v1.0.0" }), "v1.4.2")).toThrow(
      /appRevision = "v1.0.0" pins another revision[\s\S]*pulumi config rm appRevision --stack production/,
    );
    expect(revisionSource(configOf("production", { appRevision: "v1.4.2" }), "v1.4.2")).toMatchObject({ tag: "v1.4.2" });
  });

  it("refuses something that is not a revision, naming the variable", () => {
    expect(() => revisionSource(configOf("staging"), "main; rm -rf /")).toThrow(
      /DELIVERY_APP_REVISION = "main; rm -rf \/" is not a revision/,
    );
  });

  it("reaches the spec", () => {
    expect(buildShipSpec(configOf("staging"), sha).revisionSource).toEqual({ kind: "pinned-sha", sha });
    expect(buildShipSpec(configOf("production"), "v1.4.2", sha).revisionSource).toMatchObject({ tag: "v1.4.2", expectedSha: sha });
  });

  it("carries the commit the workflow ran for beside a tag, which the tag must still name", () => {
    expect(revisionSource(configOf("production"), "v1.4.2", sha)).toEqual({
      kind: "pinned-tag",
      tag: "v1.4.2",
      release: { allowPrerelease: false },
      expectedSha: sha,
    });
    // A pinned tag with no handed-over tag (run by hand) expects no commit; a handed-over commit ships as itself.
    expect(revisionSource(configOf("production", { appRevision: "v1.4.2" }), undefined, sha)).toEqual({
      kind: "pinned-tag",
      tag: "v1.4.2",
      release: { allowPrerelease: false },
    });
    expect(revisionSource(configOf("staging"), sha, sha)).toEqual({ kind: "pinned-sha", sha });
  });

  it("refuses a handed-over commit that is not a full SHA, naming the variable and the fix", () => {
    expect(() => revisionSource(configOf("production"), "v1.4.2", "main")).toThrow(
      /DELIVERY_APP_REVISION_SHA = "main" is not a commit[\s\S]*DELIVERY_APP_REVISION_SHA=\$\{\{ github\.sha \}\}/,
    );
    expect(() => revisionSource(configOf("production"), "v1.4.2", sha.slice(0, 7))).toThrow(ConfigError);
  });
});

describe("promotion through the registry", () => {
  const image = buildShipSpec(configOf("production")).image;
  const revision = { sha, version: "v1.0.0", gitRef: "v1.0.0" };
  const digest = `sha256:${"a".repeat(64)}`;
  const both = { digest, platforms: ["linux/amd64", "linux/arm64"] };

  it("deploys the digest staging verified for the same commit", () => {
    expect(promotion(image, revision, both, false)).toEqual({ kind: "promote", imageRef: `docker.io/acme/learning-voice-agent@${digest}` });
  });

  it("refuses a commit staging never verified, with the way out; builds it only when told to", () => {
    const refused = promotion(image, revision, undefined, false);
    expect(refused.kind).toBe("refuse");
    expect(refused.kind === "refuse" ? refused.reason : "").toMatch(
      /staging never verified commit 0123456789abcdef0123456789abcdef01234567 \(v1\.0\.0\): docker\.io\/acme\/learning-voice-agent:verified-sha-0123456789abcdef0123456789abcdef01234567 is not in the registry[\s\S]*pulumi config set buildUnverifiedRelease true --stack production/,
    );
    expect(promotion(image, revision, undefined, true)).toEqual({ kind: "build" });
  });

  it("refuses a verified image that lacks a configured platform", () => {
    const decision = promotion(image, revision, { digest, platforms: ["linux/amd64"] }, true);
    expect(decision).toEqual({ kind: "refuse", reason: expect.stringContaining("lacks linux/arm64") as unknown });
    const empty = promotion(image, revision, { digest, platforms: [] }, true);
    expect(empty).toEqual({
      kind: "refuse",
      reason: expect.stringContaining("lacks linux/amd64, linux/arm64 (it holds no platform)") as unknown,
    });
  });

  it("names a commit without a version as this revision", () => {
    const refused = promotion(image, { sha, version: undefined, gitRef: sha }, undefined, false);
    expect(refused.kind === "refuse" ? refused.reason : "").toContain(`staging never verified commit ${sha} (this revision)`);
  });

  it("production promotes, staging builds and marks verified, deployImage deploys what it names", () => {
    // Production promotes only what verifies with staging's public key.
    expect(buildShipSpec(configOf("production")).imageSource).toEqual({
      kind: "promote-verified",
      buildWhenUnverified: false,
      signingPublicKey: fixtureSigningPublicKey,
    });
    expect(buildShipSpec(configOf("staging")).imageSource).toEqual({ kind: "build", markVerified: true });
    const given = `docker.io/acme/learning-voice-agent@${digest}`;
    expect(buildShipSpec(configOf("production", { deployImage: given })).imageSource).toEqual({ kind: "given", imageRef: given });
  });
});

describe("staging's signature", () => {
  it("claims the repository and the commit the digest was built from, and that staging verified it", () => {
    expect(signedAnnotations("acme/learning-voice-agent", sha)).toEqual({
      repository: "acme/learning-voice-agent",
      revision: sha,
      verifiedBy: "staging",
    });
  });

  it("explains a refusal of an unsigned digest: every way it can happen, and the fix of each", () => {
    const ref = `docker.io/acme/learning-voice-agent@sha256:${"a".repeat(64)}`;
    const reason = unsignedReason(ref, "no signature found");
    expect(reason).toMatch(
      new RegExp(`^${ref.replace(/[.]/g, "\\.")} carries no valid signature of staging's for this commit \\(no signature found\\)\\. `),
    );
    expect(reason).toContain("deploy that commit to staging first");
    expect(reason).toContain("the verified tag was moved to a digest staging did not sign");
    expect(reason).toContain("pulumi config set imageSigningPublicKey --stack production < image-signing.pub");
  });
});

describe("image naming", () => {
  const image = buildShipSpec(configOf("staging")).image;
  const commit = { sha, version: undefined, gitRef: sha };
  it("tags the index sha-<short>, each platform's build sha-<short>-<arch> with its own cache, a release with its version", () => {
    expect(commitTag(image, commit)).toBe("docker.io/acme/learning-voice-agent:sha-0123456");
    expect(platformTag(image, commit, "linux/arm64")).toBe("docker.io/acme/learning-voice-agent:sha-0123456-arm64");
    expect(platformCacheRef(image, "linux/arm/v7")).toBe("docker.io/acme/learning-voice-agent:buildcache-arm-v7");
    expect(versionTag(image, commit, false)).toBeUndefined();
    expect(versionTag(image, { sha, version: "v2.0.0", gitRef: "v2.0.0" }, true)).toBe("docker.io/acme/learning-voice-agent:v2.0.0");
    expect(versionTag(image, { sha: undefined, version: undefined, gitRef: undefined }, true)).toBe(
      "docker.io/acme/learning-voice-agent:unresolved",
    );
    expect(shipsRelease({ kind: "latest-release" })).toBe(true);
    expect(shipsRelease({ kind: "pinned-sha", sha })).toBe(false);
    expect(verifiedTag(image, sha)).toBe(`docker.io/acme/learning-voice-agent:verified-sha-${sha}`);
    expect(shortSha(undefined)).toBe("unresolved");
  });

  it("follows the registry setting everywhere, and names Docker Hub images for look-ups without docker.io/", () => {
    const own = buildShipSpec(configOf("staging", { registry: "registry.acme.dev:5000" })).image;
    expect(commitTag(own, commit)).toBe("registry.acme.dev:5000/acme/learning-voice-agent:sha-0123456");
    expect(registryLookupName(own, verifiedTag(own, sha))).toBe(`registry.acme.dev:5000/acme/learning-voice-agent:verified-sha-${sha}`);
    expect(registryAuthAddress(own)).toBe("registry.acme.dev:5000");
    expect(registryLookupName(image, verifiedTag(image, sha))).toBe(`acme/learning-voice-agent:verified-sha-${sha}`);
    expect(registryAuthAddress(image)).toBe("registry-1.docker.io");
  });
});

describe("variablesHash (the deploy's secret trigger)", () => {
  it("changes when a value changes, not when the order does", () => {
    const a = variablesHash({ A: "1", B: "2" });
    expect(variablesHash({ B: "2", A: "1" })).toBe(a);
    expect(variablesHash({ A: "1", B: "3" })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});
