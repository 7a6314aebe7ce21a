// Production ships the latest release; staging already built that commit, so production promotes staging's digest.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../src/plan/harness";
import { packViolations } from "../helpers/policies";
import { evaluate, named } from "../helpers/program";
import { releaseInvokes, releaseSha, releaseTag, stagingImage, stagingShipped } from "../helpers/production";
import { stackWithSecrets } from "../helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  run = await evaluate("production", stackWithSecrets("production"), false, { invoke: releaseInvokes, resource: stagingShipped(releaseSha) });
});

describe("production promotes staging's build of the same commit", () => {
  it("resolves the latest release and its commit", () => {
    expect(run.invokes.map((i) => i.token)).toEqual(expect.arrayContaining(["github:index/getRelease:getRelease", "github:index/getRef:getRef"]));
    expect(run.invokes.find((i) => i.token === "github:index/getRelease:getRelease")?.inputs).toMatchObject({ owner: "acme", repository: "learning-voice-agent", retrieveBy: "latest" });
  });

  it("builds nothing: it adds the version tag to staging's digest", () => {
    expect(run.resources.filter((r) => r.type === "docker-build:index:Image")).toEqual([]);
    const index = named(run, "delivery-app-version-tag");
    expect(index.inputs).toMatchObject({ sources: [stagingImage], tag: `docker.io/acme/learning-voice-agent:${releaseTag}`, push: true, registry: { address: "docker.io", username: "acmebot", password: "[secret]" } });
    expect(index.retainOnDelete).toBe(true);
  });

  it("deploys exactly staging's bytes", () => {
    expect((named(run, "delivery-railway-deploy").inputs["environment"] as Record<string, unknown>)["DEPLOY_IMAGE"]).toBe(stagingImage);
    expect(run.outputs).toMatchObject({ revision: releaseSha, version: releaseTag, imageRef: stagingImage, imageBuilt: false });
  });

  it("passes every mandatory policy of the pack", () => {
    expect(packViolations(run, { deliveryAppId: 1234567 })).toEqual([]);
  });
});
