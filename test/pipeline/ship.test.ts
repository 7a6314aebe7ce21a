import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { buildShipSpec, imageTags, promotion, revisionSource, shortSha } from "../../src/pipeline";
import { variablesHash } from "../../src/railway/variablesHash";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const configOf = (stack: string, overrides: Record<string, string> = {}) => validateStackConfig(rawConfig(stackWithSecrets(stack, undefined, overrides), stack)).config;
const sha = "0123456789abcdef0123456789abcdef01234567";
const digestRef = `docker.io/acme/app@sha256:${"a".repeat(64)}`;

describe("which revision ships", () => {
  it("staging: the default branch head; production: the latest release", () => {
    expect(revisionSource(configOf("staging"))).toEqual({ kind: "branch-head", branch: "main" });
    expect(revisionSource(configOf("production"))).toEqual({ kind: "latest-release" });
  });
  it("appRevision pins a commit or a tag (manual rollback)", () => {
    expect(revisionSource(configOf("production", { appRevision: sha }))).toEqual({ kind: "pinned-sha", sha });
    expect(revisionSource(configOf("staging", { appRevision: "v1.2.0" }))).toEqual({ kind: "pinned-tag", tag: "v1.2.0" });
  });
});

describe("promotion", () => {
  const revision = { sha, version: "v1.0.0", gitRef: "v1.0.0" };
  it("promotes when staging shipped the same commit by digest", () => {
    expect(promotion(revision, { revision: sha, imageRef: digestRef })).toEqual({ kind: "promote", imageRef: digestRef });
  });
  it.each([
    ["another commit", { revision: "f".repeat(40), imageRef: digestRef }],
    ["a mutable tag", { revision: sha, imageRef: "docker.io/acme/app:latest" }],
    ["nothing", { revision: undefined, imageRef: undefined }],
  ])("builds when staging shipped %s", (_, staging) => {
    expect(promotion(revision, staging)).toEqual({ kind: "build" });
  });
  it("builds when the revision is unknown or there is no staging", () => {
    expect(promotion({ ...revision, sha: undefined }, { revision: sha, imageRef: digestRef })).toEqual({ kind: "build" });
    expect(promotion(revision, undefined)).toEqual({ kind: "build" });
  });
});

describe("image naming", () => {
  const image = buildShipSpec(configOf("staging")).image;
  it("tags sha-<short>, and the version for a release", () => {
    expect(imageTags(image, { sha, version: undefined, gitRef: sha })).toEqual(["docker.io/acme/learning-voice-agent:sha-0123456"]);
    expect(imageTags(image, { sha, version: "v2.0.0", gitRef: "v2.0.0" })).toEqual(["docker.io/acme/learning-voice-agent:sha-0123456", "docker.io/acme/learning-voice-agent:v2.0.0"]);
    expect(shortSha(undefined)).toBe("unresolved");
  });
  it("reads production's staging reference from config", () => {
    expect(buildShipSpec(configOf("production")).promoteFrom).toBe("organization/delivery-pipeline/staging");
    expect(buildShipSpec(configOf("staging")).promoteFrom).toBeUndefined();
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
