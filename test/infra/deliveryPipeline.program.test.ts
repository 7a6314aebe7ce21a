// DeliveryPipeline declared directly, for a governing spec that builds and one that neither governs nor builds:
// each child component gets its own slice, the files wait for the GitHub side, and only a build is marked verified.
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { secretKeys, validateStackConfig } from "../../src/config";
import { buildPipelineSpec } from "../../src/pipeline";
import type { ProgramRun } from "../../tools/plan/harness";
import { standInDigest } from "../../tools/plan/invokes";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";
import { declareUnderMocks } from "./declare";

const specOf = (stack: string, overrides?: Record<string, string>) =>
  buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack, undefined, overrides), stack)).config);
const sha = "0123456789abcdef0123456789abcdef01234567";
const given = `docker.io/acme/learning-voice-agent@sha256:${"a".repeat(64)}`;

let run: ProgramRun;
beforeAll(async () => {
  run = await declareUnderMocks(async () => {
    const { DeliveryPipeline } = await import("../../infra/deliveryPipeline.js");
    const provider = new github.Provider("gh", { owner: "acme" });
    const secrets = Object.fromEntries(secretKeys.map((key) => [key, pulumi.secret(`value-${key}`)]));
    const revision = { sha, version: "v1.2.0", gitRef: "v1.2.0" };
    const governing = new DeliveryPipeline("gov", {
      // Previews build this image: a cache-only build per platform writes the cache instead.
      spec: specOf("staging", { buildImageOnPreview: "true" }),
      secrets,
      provider,
      shipment: Promise.resolve({ revision, existingImage: undefined }),
      gitToken: undefined,
    });
    const promoting = new DeliveryPipeline("prod", {
      spec: specOf("production"),
      secrets,
      provider,
      shipment: Promise.resolve({ revision, existingImage: given }),
      gitToken: undefined,
    });
    await Promise.all([governing.shipped, promoting.shipped]);
  });
});

const children = (prefix: string) => run.resources.filter((r) => r.name.startsWith(`${prefix}-`));
const named = (name: string) => {
  const found = run.resources.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
};

describe("DeliveryPipeline", () => {
  it("declares the deploy, preview and drift environments, and the repository's objects only for the governing spec", () => {
    const components = (prefix: string) =>
      children(prefix)
        .filter((r) => !r.custom)
        .map((r) => `${r.type} ${r.name}`)
        .sort();
    expect(components("gov")).toEqual(
      [
        "delivery:github:DeploymentEnvironment gov-staging",
        "delivery:github:DeploymentEnvironment gov-staging-preview",
        "delivery:github:DeploymentEnvironment gov-staging-drift",
        "delivery:github:RepositoryGovernance gov-repository",
        "delivery:github:GeneratedFiles gov-files",
        "delivery:docker:AppImage gov-app",
        "delivery:railway:RailwayDeploy gov-railway",
      ].sort(),
    );
    expect(components("prod")).toEqual(
      [
        "delivery:github:DeploymentEnvironment prod-production",
        "delivery:github:DeploymentEnvironment prod-production-preview",
        "delivery:github:DeploymentEnvironment prod-production-plan",
        "delivery:github:DeploymentEnvironment prod-production-drift",
        "delivery:github:GeneratedFiles prod-files",
        "delivery:docker:AppImage prod-app",
        "delivery:railway:RailwayDeploy prod-railway",
      ].sort(),
    );
  });

  it("commits the first file after the environments (and the rulesets, when it governs)", () => {
    const waitsFor = (name: string) => named(name).dependencies.map((urn) => urn.split("::").pop());
    const governed = waitsFor("gov-files-workflows-test-yml");
    expect(governed).toContain("gov-staging-environment");
    expect(governed).toContain("gov-staging-preview-environment");
    expect(governed).toContain("gov-staging-drift-environment");
    expect(governed).toContain("gov-repository-protect-main");
    expect(governed).toContain("gov-repository-protect-release-tags");
    expect(governed).toContain("gov-repository-workflow-permissions");
    const plain = waitsFor("prod-files-workflows-deploy-production-yml");
    expect(plain).toContain("prod-production-environment");
    expect(plain).toContain("prod-production-preview-environment");
    expect(plain).toContain("prod-production-drift-environment");
    expect(plain.some((n) => n?.startsWith("gov-"))).toBe(false);
  });

  it("builds, signs and marks verified only what it built, after the deploy; a given image is deployed as is", () => {
    const signature = named("gov-image-signature");
    expect(signature.dependencies.map((urn) => urn.split("::").pop())).toContain("gov-railway-deploy");
    const verified = named("gov-verified-tag");
    expect(verified.inputs["tag"]).toBe(`docker.io/acme/learning-voice-agent:verified-sha-${sha}`);
    expect(verified.retainOnDelete).toBe(true);
    // The tag production looks the digest up by comes only after staging's signature of it.
    expect(verified.dependencies.map((urn) => urn.split("::").pop())).toContain("gov-image-signature");
    expect(children("gov").filter((r) => r.type === "docker-build:index:Image").length).toBeGreaterThan(0);
    expect(children("prod").filter((r) => r.type === "docker-build:index:Image")).toEqual([]);
    expect(run.resources.map((r) => r.name)).not.toContain("prod-verified-tag");
    expect(run.resources.map((r) => r.name)).not.toContain("prod-image-signature");
    expect(named("prod-app-version-tag").inputs["sources"]).toEqual([given]);
  });

  it("writes each platform's cache from a cache-only build after that platform's build, when previews build", () => {
    const writers = children("gov").filter((r) => r.name.startsWith("gov-app-cache-"));
    expect(writers.map((r) => r.name).sort()).toEqual(["gov-app-cache-amd64", "gov-app-cache-arm64"]);
    for (const writer of writers) {
      const platform = writer.name.replace("gov-app-cache-", "");
      expect(writer.inputs).toMatchObject({ push: false, buildOnPreview: false });
      expect(writer.dependencies.map((urn) => urn.split("::").pop())).toContain(`gov-app-image-${platform}`);
    }
  });

  it("signs the digest that passed, with the commit it was built from, the signing key and the push token as secrets", () => {
    const signature = named("gov-image-signature");
    expect(signature.type).toBe("command:local:Command");
    const annotations = JSON.stringify({ repository: "acme/learning-voice-agent", revision: sha, verifiedBy: "staging" });
    expect(signature.inputs).toEqual({
      create: "npx --no-install tsx src/signing/signCli.ts",
      environment: {
        IMAGE_REF: `docker.io/acme/learning-voice-agent@${standInDigest}`,
        SIGNED_ANNOTATIONS: annotations,
        SIGNING_KEY: "[secret]",
        REGISTRY_USERNAME: "acmebot",
        REGISTRY_PASSWORD: "[secret]",
      },
      logging: "stderr",
      // Signs again only for another digest or another revision.
      triggers: [`docker.io/acme/learning-voice-agent@${standInDigest}`, annotations],
    });
    expect([...signature.secretPaths].sort()).toEqual(["environment.REGISTRY_PASSWORD", "environment.SIGNING_KEY"]);
    expect(signature.plainInputs["environment"]).toMatchObject({
      SIGNING_KEY: "value-imageSigningKey",
      REGISTRY_PASSWORD: "value-dockerhubToken",
    });
  });

  it("hands the deploy its token and the app's keys as secrets", () => {
    const deploy = named("prod-railway-deploy");
    expect(deploy.secretPaths).toContain("environment.SERVICE_VARIABLES");
    expect(deploy.plainInputs["environment"]).toMatchObject({ RAILWAY_API_TOKEN: "value-railwayToken" });
  });
});
