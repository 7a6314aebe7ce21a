// Production ships the release its workflow hands over; staging verified and signed that commit, so production deploys
// staging's digest. A digest whose signature does not verify is refused, whatever tag points at it.
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsignedReason } from "../../src/pipeline";
import type { ProgramRun } from "../../tools/plan/harness";
import { packViolations } from "../helpers/policies";
import { evaluate, named } from "../helpers/program";
import { builtImages, productionRefusal, releaseSha, releaseTag, shippingInvokes, verifiedImage } from "../helpers/production";
import { fixtureSigningPublicKey, sentinel, stackWithSecrets } from "../helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  process.env["DELIVERY_APP_REVISION"] = releaseTag;
  run = await evaluate("production", stackWithSecrets("production"), false, {
    invoke: shippingInvokes([releaseSha], { verdict: { verified: true } }),
    resource: builtImages,
  });
});
afterAll(() => {
  delete process.env["DELIVERY_APP_REVISION"];
});

describe("production promotes the digest staging verified", () => {
  it("ships the handed-over tag after checking it is a published release, and its commit", () => {
    expect(run.invokes.find((i) => i.token === "github:index/getRelease:getRelease")?.inputs).toMatchObject({
      owner: "acme",
      repository: "learning-voice-agent",
      retrieveBy: "tag",
      releaseTag,
    });
    // The tag's commit through GitHub's REST API (annotated tags dereferenced), never the provider's getRef.
    expect(run.invokes.filter((i) => i.token === "github:index/getRestApi:getRestApi").map((i) => i.inputs["endpoint"])).toEqual([
      `repos/acme/learning-voice-agent/git/ref/tags/${releaseTag}`,
    ]);
    expect(run.invokes.some((i) => i.token === "github:index/getRef:getRef")).toBe(false);
  });

  it("asks the verify command whether staging signed that digest for that commit, before it declares anything", () => {
    const verifications = run.invokes.filter((i) => i.token === "command:local:run");
    expect(verifications).toHaveLength(1);
    expect(verifications[0]?.inputs).toEqual({
      command: "npx --no-install tsx src/signing/verifyCli.ts",
      environment: {
        IMAGE_REF: verifiedImage,
        SIGNING_PUBLIC_KEY: fixtureSigningPublicKey,
        EXPECTED_ANNOTATIONS: JSON.stringify({ repository: "acme/learning-voice-agent", revision: releaseSha, verifiedBy: "staging" }),
        REGISTRY_USERNAME: "acmebot",
        REGISTRY_PASSWORD: sentinel("dockerhubToken"),
      },
      logging: "stderr",
      addPreviousOutputInEnv: false,
    });
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
    expect(await packViolations(run, { deliveryAppId: 1234567 }, false, "mandatory")).toEqual([]);
  });
});

describe("production and a verified tag on a digest staging did not sign", () => {
  const reason = "no signature of the digest in the registry";
  let message: string;
  beforeAll(async () => {
    message = await productionRefusal(releaseTag, [releaseSha], {}, { verdict: { verified: false, reason } });
  });

  it("refuses it, saying why and what to do", () => {
    expect(message).toContain(`Stack "production" will not ship ${releaseTag}: ${unsignedReason(verifiedImage, reason)}`);
    expect(message).toContain("pulumi config set imageSigningPublicKey --stack production < image-signing.pub");
  });

  it("declares nothing of the shipping side", () => {
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string }> };
    const urns = [...monitor.resources.values()].map((r) => r.urn);
    // The two providers the look-ups need, nothing else: no version tag, no deploy, no environment.
    expect(urns.length).toBeGreaterThan(0);
    expect(urns.every((urn) => urn.includes("::pulumi:providers:"))).toBe(true);
  });
});
