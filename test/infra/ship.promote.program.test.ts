// Production ships the release its workflow hands over; staging verified that commit, so production deploys staging's digest.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../tools/plan/harness";
import { packViolations } from "../helpers/policies";
import { evaluate, named } from "../helpers/program";
import { builtImages, releaseSha, releaseTag, shippingInvokes, verifiedImage } from "../helpers/production";
import { stackWithSecrets } from "../helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  process.env["DELIVERY_APP_REVISION"] = releaseTag;
  run = await evaluate("production", stackWithSecrets("production"), false, {
    invoke: shippingInvokes([releaseSha]),
    resource: builtImages,
  });
});

describe("production promotes the digest staging verified", () => {
  it("ships the handed-over tag after checking it is a published release, and its commit", () => {
    expect(run.invokes.find((i) => i.token === "github:index/getRelease:getRelease")?.inputs).toMatchObject({
      owner: "acme",
      repository: "learning-voice-agent",
      retrieveBy: "tag",
      releaseTag,
    });
    expect(run.invokes.find((i) => i.token === "github:index/getRef:getRef")?.inputs).toMatchObject({ ref: `tags/${releaseTag}` });
  });

  it("looks the verified tag up in the registry, with its own daemon-less docker provider", () => {
    const lookups = run.invokes.filter((i) => i.token.startsWith("docker:index/getRegistryImage"));
    expect(lookups.map((i) => [i.token, i.inputs["name"]])).toEqual([
      ["docker:index/getRegistryImage:getRegistryImage", `acme/learning-voice-agent:verified-sha-${releaseSha}`],
      ["docker:index/getRegistryImageManifests:getRegistryImageManifests", `acme/learning-voice-agent:verified-sha-${releaseSha}`],
    ]);
    const registry = named(run, "delivery-registry");
    expect(registry.inputs["disableDockerDaemonCheck"]).toBe("true");
    expect(String(registry.plainInputs["registryAuth"])).toContain("registry-1.docker.io");
    expect(registry.secretPaths).toContain("registryAuth");
    expect(run.resources.some((r) => r.type === "pulumi:pulumi:StackReference")).toBe(false);
  });

  it("builds nothing: it adds the version tag to that digest", () => {
    expect(run.resources.filter((r) => r.type === "docker-build:index:Image")).toEqual([]);
    const index = named(run, "delivery-app-version-tag");
    expect(index.inputs).toMatchObject({
      sources: [verifiedImage],
      tag: `docker.io/acme/learning-voice-agent:${releaseTag}`,
      push: true,
      registry: { address: "docker.io", username: "acmebot", password: "[secret]" },
    });
    expect(index.retainOnDelete).toBe(true);
  });

  it("deploys exactly staging's bytes", () => {
    expect((named(run, "delivery-railway-deploy").inputs["environment"] as Record<string, unknown>)["DEPLOY_IMAGE"]).toBe(verifiedImage);
    expect(run.outputs).toMatchObject({ revision: releaseSha, version: releaseTag, imageRef: verifiedImage, imageBuilt: false });
  });

  it("passes every mandatory policy of the pack", async () => {
    expect(await packViolations(run, { deliveryAppId: 1234567 })).toEqual([]);
  });
});
