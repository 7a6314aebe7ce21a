// Production ships the latest release; staging last shipped another commit, so production builds the release itself.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../src/plan/harness";
import { evaluate, named } from "../helpers/program";
import { releaseInvokes, releaseSha, releaseTag, stagingShipped } from "../helpers/production";
import { stackWithSecrets } from "../helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  run = await evaluate("production", stackWithSecrets("production"), false, { invoke: releaseInvokes, resource: stagingShipped("f".repeat(40)) });
});

describe("production builds a release staging never built", () => {
  it("builds the release tag, tagged with the version and the commit", () => {
    expect(run.resources.filter((r) => r.type === "docker-build:index:Index")).toEqual([]);
    expect(named(run, "delivery-app-image").inputs).toMatchObject({
      context: { location: `https://github.com/acme/learning-voice-agent.git#${releaseTag}` },
      tags: ["docker.io/acme/learning-voice-agent:sha-89abcde", `docker.io/acme/learning-voice-agent:${releaseTag}`],
      labels: { "org.opencontainers.image.revision": releaseSha, "org.opencontainers.image.version": releaseTag },
    });
    expect(run.outputs).toMatchObject({ imageBuilt: true, version: releaseTag, imageRef: `docker.io/acme/learning-voice-agent@sha256:${"e".repeat(64)}` });
  });
});
