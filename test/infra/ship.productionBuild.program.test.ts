// Production ships a release staging never verified, and buildUnverifiedRelease lets it build the release itself.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../tools/plan/harness";
import { evaluate, named } from "../helpers/program";
import { builtDigest, builtImages, releaseSha, releaseTag, shippingInvokes } from "../helpers/production";
import { stackWithSecrets } from "../helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  delete process.env["DELIVERY_APP_REVISION"];
  run = await evaluate("production", stackWithSecrets("production", undefined, { buildUnverifiedRelease: "true" }), false, {
    invoke: shippingInvokes([]),
    resource: builtImages,
  });
});

describe("production builds a release staging never verified, when told to", () => {
  it("resolves the latest release when no revision is handed over", () => {
    expect(run.invokes.find((i) => i.token === "github:index/getRelease:getRelease")?.inputs).toMatchObject({ retrieveBy: "latest" });
  });

  it("builds the release tag once per platform, joins them, and tags the version", () => {
    expect(named(run, "delivery-app-image-arm64").inputs).toMatchObject({
      context: { location: `https://github.com/acme/learning-voice-agent.git#${releaseTag}` },
      platforms: ["linux/arm64"],
      tags: ["docker.io/acme/learning-voice-agent:sha-89abcde-arm64"],
      labels: { "org.opencontainers.image.revision": releaseSha, "org.opencontainers.image.version": releaseTag },
    });
    expect(named(run, "delivery-app-index").inputs).toMatchObject({ tag: "docker.io/acme/learning-voice-agent:sha-89abcde" });
    expect(named(run, "delivery-app-version-tag").inputs).toMatchObject({ tag: `docker.io/acme/learning-voice-agent:${releaseTag}` });
    // Production never marks anything verified: only staging's health check does.
    expect(run.resources.some((r) => r.name === "delivery-verified-tag")).toBe(false);
    expect(run.outputs).toMatchObject({
      imageBuilt: true,
      version: releaseTag,
      imageRef: `docker.io/acme/learning-voice-agent@${builtDigest}`,
    });
  });
});
