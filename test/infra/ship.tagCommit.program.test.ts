// Production resolves a release tag to its commit: an annotated tag through its tag object, and a tag that no longer
// names the commit the workflow ran for (it moved after the run started) is refused before anything is declared.
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../tools/plan/harness";
import { evaluate, named } from "../helpers/program";
import {
  builtImages,
  productionRefusal,
  releaseSha,
  releaseTag,
  shippingInvokes,
  tagObjectSha,
  verifiedImage,
} from "../helpers/production";
import { stackWithSecrets } from "../helpers/stacks";

afterAll(() => {
  delete process.env["DELIVERY_APP_REVISION_SHA"];
});

describe("production and an annotated release tag", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    process.env["DELIVERY_APP_REVISION"] = releaseTag;
    process.env["DELIVERY_APP_REVISION_SHA"] = releaseSha;
    try {
      run = await evaluate("production", stackWithSecrets("production"), false, {
        invoke: shippingInvokes([releaseSha], { annotated: true, verdict: { verified: true } }),
        resource: builtImages,
      });
    } finally {
      delete process.env["DELIVERY_APP_REVISION"];
    }
  });

  it("follows the tag object to the commit", () => {
    expect(run.invokes.filter((i) => i.token === "github:index/getRestApi:getRestApi").map((i) => i.inputs["endpoint"])).toEqual([
      `repos/acme/learning-voice-agent/git/ref/tags/${releaseTag}`,
      `repos/acme/learning-voice-agent/git/tags/${tagObjectSha}`,
    ]);
  });

  it("promotes what staging verified for the commit, not for the tag object", () => {
    const lookups = run.invokes.filter((i) => i.token === "docker:index/getRegistryImage:getRegistryImage").map((i) => i.inputs["name"]);
    expect(lookups).toEqual([`acme/learning-voice-agent:verified-sha-${releaseSha}`]);
    expect((named(run, "delivery-railway-deploy").inputs["environment"] as Record<string, unknown>)["DEPLOY_IMAGE"]).toBe(verifiedImage);
    expect(run.outputs).toMatchObject({ revision: releaseSha, version: releaseTag });
  });
});

describe("production and a release tag that moved after its workflow started", () => {
  const ranFor = "0000000000000000000000000000000000000001";
  let message: string;
  beforeAll(async () => {
    process.env["DELIVERY_APP_REVISION_SHA"] = ranFor;
    message = await productionRefusal(releaseTag, [releaseSha]);
  });

  it("refuses it, naming both commits and how to run again", () => {
    expect(message).toContain(`Tag ${releaseTag} names commit ${releaseSha}, but the workflow ran for ${ranFor}`);
    expect(message).toContain(`gh workflow run deploy-production.yml --ref ${releaseTag} -f version=${releaseTag}`);
  });

  it("declares nothing of the pipeline and asks the registry nothing", () => {
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string }> };
    const urns = [...monitor.resources.values()].map((r) => r.urn);
    // Only the GitHub provider the look-ups ran through: not even the registry's.
    expect(urns).toHaveLength(1);
    expect(urns[0]).toMatch(/::pulumi:providers:github::delivery-github$/);
  });
});
