// Staging ships its default branch's head: the image built from that commit, deployed to Railway by digest.
// Proves the declared build and deploy; it does not build an image or reach Railway (see test/railway/).
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../tools/plan/harness";
import { generatedFileCommitMessage } from "../../src/pipeline";
import { planResourceMock } from "../../tools/plan/invokes";
import { packViolations } from "../helpers/policies";
import { branchHistoryInvoke, evaluate, named } from "../helpers/program";
import { allSentinels, fixtureSigningKey, stackWithSecrets } from "../helpers/stacks";

const sha = "0123456789abcdef0123456789abcdef01234567";
// main's head is two of the pipeline's own workflow-file commits on top of the app's commit `sha`.
const ownHead = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const ownMiddle = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const digest = `sha256:${"c".repeat(64)}`;
let run: ProgramRun;
beforeAll(async () => {
  run = await evaluate("staging", stackWithSecrets("staging"), false, {
    invoke: branchHistoryInvoke([
      { sha: ownHead, message: generatedFileCommitMessage(".github/workflows/deploy-production.yml"), parents: [ownMiddle] },
      { sha: ownMiddle, message: generatedFileCommitMessage(".github/workflows/test.yml"), parents: [sha] },
      { sha, message: "Add the pronunciation drill", parents: ["cccccccccccccccccccccccccccccccccccccccc"] },
    ]),
    // Each platform's build gets its own digest; the index joining them has the one that ships.
    resource: (type, name, inputs) =>
      type === "docker-build:index:Image"
        ? { ...inputs, digest: `sha256:${"a".repeat(64)}`, ref: `${String((inputs["tags"] as string[])[0])}@sha256:${"a".repeat(64)}` }
        : type === "docker-build:index:Index"
          ? { ...inputs, ref: `${String(inputs["tag"])}@${digest}` }
          : planResourceMock(type, name, inputs),
  });
});

describe("staging ships the default branch head", () => {
  it("asks GitHub once, for the history of main (its head is the first commit listed), with no separate branch look-up", () => {
    // Besides the history, GitHub is asked only for the preview environment's reviewer team.
    expect(run.invokes.filter((i) => i.token.startsWith("github:")).map((i) => [i.token, i.inputs])).toEqual([
      ["github:index/getRestApi:getRestApi", { endpoint: "repos/acme/learning-voice-agent/commits?sha=main&per_page=100" }],
      ["github:index/getTeam:getTeam", { slug: "release-managers", summaryOnly: true }],
    ]);
  });

  it("ships the app's commit under the pipeline's own workflow-file commits, read from the branch's history", () => {
    expect(run.outputs["revision"]).toBe(sha);
    expect(run.outputs["revision"]).not.toBe(ownHead);
  });

  it("builds that commit once per platform, each with its own cache, joins them in an index tagged sha-<short>, and keeps them on delete", () => {
    for (const arch of ["amd64", "arm64"]) {
      const image = named(run, `delivery-app-image-${arch}`);
      expect(image.inputs).toMatchObject({
        context: { location: `https://github.com/acme/learning-voice-agent.git#${sha}` },
        platforms: [`linux/${arch}`],
        tags: [`docker.io/acme/learning-voice-agent:sha-0123456-${arch}`],
        labels: {
          "org.opencontainers.image.source": "https://github.com/acme/learning-voice-agent",
          "org.opencontainers.image.revision": sha,
          "org.opencontainers.image.version": "0123456",
        },
        registries: [{ address: "docker.io", username: "acmebot", password: "[secret]" }],
        push: true,
        buildOnPreview: false,
        cacheFrom: [{ registry: { ref: `docker.io/acme/learning-voice-agent:buildcache-${arch}` } }],
        cacheTo: [{ registry: { ref: `docker.io/acme/learning-voice-agent:buildcache-${arch}`, mode: "max" } }],
        // A workflow's App token is new on every run: it must not make the image differ.
        ignoreSecretsInDiffCalculation: ["GIT_AUTH_TOKEN"],
      });
      // The repository is private: BuildKit clones it with the GitHub token, a build secret.
      expect([...image.secretPaths].sort()).toEqual(["registries[0].password", "secrets"]);
      expect(image.retainOnDelete).toBe(true);
      // The default Dockerfile is read from the git context itself: no local path to check.
      expect(image.inputs["dockerfile"]).toBeUndefined();
    }
    const index = named(run, "delivery-app-index");
    expect(index.inputs).toMatchObject({
      sources: [
        `docker.io/acme/learning-voice-agent:sha-0123456-amd64@sha256:${"a".repeat(64)}`,
        `docker.io/acme/learning-voice-agent:sha-0123456-arm64@sha256:${"a".repeat(64)}`,
      ],
      tag: "docker.io/acme/learning-voice-agent:sha-0123456",
      push: true,
    });
    expect(index.retainOnDelete).toBe(true);
  });

  it("signs the digest, claiming the commit it was built from, only after the deploy (and its health check) succeeded", () => {
    const signature = named(run, "delivery-image-signature");
    expect(signature.inputs["environment"]).toMatchObject({
      IMAGE_REF: `docker.io/acme/learning-voice-agent@${digest}`,
      SIGNED_ANNOTATIONS: JSON.stringify({ repository: "acme/learning-voice-agent", revision: sha, verifiedBy: "staging" }),
      SIGNING_KEY: "[secret]",
      REGISTRY_PASSWORD: "[secret]",
    });
    expect((signature.plainInputs["environment"] as Record<string, unknown>)["SIGNING_KEY"]).toBe(fixtureSigningKey);
    expect(signature.dependencies.some((urn) => urn.endsWith("command:local:Command::delivery-railway-deploy"))).toBe(true);
  });

  it("marks the digest verified in the registry only after it signed it", () => {
    const verified = named(run, "delivery-verified-tag");
    expect(verified.inputs).toMatchObject({
      sources: [`docker.io/acme/learning-voice-agent@${digest}`],
      tag: `docker.io/acme/learning-voice-agent:verified-sha-${sha}`,
      push: true,
    });
    expect(verified.dependencies.some((urn) => urn.endsWith("command:local:Command::delivery-image-signature"))).toBe(true);
    expect(verified.retainOnDelete).toBe(true);
  });

  it("deploys the digest, with every secret only in the environment, as a Pulumi secret", () => {
    const deploy = named(run, "delivery-railway-deploy");
    expect(deploy.inputs["create"]).toBe("npx --no-install tsx src/railway/deployCli.ts");
    expect(deploy.inputs["delete"]).toBeUndefined();
    expect(deploy.inputs["logging"]).toBe("stderr");
    expect(deploy.inputs["environment"]).toMatchObject({
      DEPLOY_IMAGE: `docker.io/acme/learning-voice-agent@${digest}`,
      RAILWAY_PROJECT_ID: "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
      RAILWAY_ENVIRONMENT_ID: "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
      RAILWAY_SERVICE_ID: "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b",
      HEALTH_URL: "https://learning-voice-agent-staging.up.railway.app/health",
    });
    // An account token under the name Railway's CLI reads for it; a public image: no registry credentials at all.
    expect([...deploy.secretPaths].sort()).toEqual(["environment.RAILWAY_API_TOKEN", "environment.SERVICE_VARIABLES", "triggers[1]"]);
    expect(Object.keys(deploy.inputs["environment"] as object)).not.toContain("REGISTRY_PASSWORD");
    const environment = deploy.plainInputs["environment"] as Record<string, unknown>;
    expect(JSON.parse(String(environment["SERVICE_VARIABLES"]))).toEqual({
      ANTHROPIC_API_KEY: "sentinel-anthropicApiKey-7f3a9c",
      OPENAI_API_KEY: "sentinel-openaiApiKey-7f3a9c",
    });
    const commandLine = JSON.stringify([deploy.plainInputs["create"], deploy.plainInputs["update"], deploy.plainInputs["delete"]]);
    for (const value of allSentinels) expect(commandLine).not.toContain(value);
  });

  it("redeploys on a new digest or changed variables: those are the triggers", () => {
    const deploy = named(run, "delivery-railway-deploy");
    expect(deploy.inputs["triggers"]).toEqual([`docker.io/acme/learning-voice-agent@${digest}`, "[secret]"]);
    expect(String((deploy.plainInputs["triggers"] as unknown[])[1])).toMatch(/^[0-9a-f]{64}$/);
  });

  it("exports the revision and the image by digest", () => {
    expect(run.outputs).toMatchObject({
      revision: sha,
      version: "",
      imageRef: `docker.io/acme/learning-voice-agent@${digest}`,
      imageBuilt: true,
    });
  });

  it("passes every mandatory policy of the pack", async () => {
    expect(await packViolations(run, { deliveryAppId: 1234567 }, false, "mandatory")).toEqual([]);
  });
});
