// `pulumi up` on the real engine, offline, staging then production, as users take the paths:
// create from nothing as planned; a second up that changes nothing (staging resolving main's head
// past the stack's own workflow-file commits) and the drift check; `npm run rotate` of each kind of
// secret, read from the engine's own diff before the up; a failed Railway deploy and its retry;
// production's rollback to an older release tag; destroy, and exactly what it leaves.
// GitHub is the stateful stand-in (every request checked against GitHub's OpenAPI description),
// Railway the stand-in that executes Railway's schema, the registry the HTTPS stand-in the docker
// providers read and push to. Nothing is built: staging deploys `deployImage` (an image built
// elsewhere), production promotes the digest staging verified for the release, from the registry.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SecretKey } from "../../src/config";
import { isOwnCommit, reachability, unreviewedReach } from "../../src/pipeline";
import { FakeRailway } from "../railway/fakeRailway";
import { allSentinels, fixtureSigningPublicKey, secretValue, sentinel } from "../helpers/stacks";
import { readEvents } from "./events";
import { headSha, olderReleaseSha, olderReleaseTag, releaseSha, releaseTag, stackConfigs, unsignedSha, unsignedTag } from "./fixture";
import { GitHubStateStandIn } from "./githubState";
import { stateFixtureFromStacks } from "./githubStateFixture";
import { DockerPingStandIn, RegistryStandIn } from "./registry";
import { committedWorkflows, repositoryModelOfGitHub, secureKeys } from "./reachabilityOfGitHub";
import { signAsStaging } from "./signatures";
import { EngineWorkspace, type RunResult } from "./workspace";

type Stack = "staging" | "production";
const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;
const [stagingConfig] = stackConfigs();
if (stagingConfig === undefined) throw new Error("no staging stack");
const repository = stagingConfig.dockerhubRepository;
/** Staging's image, built elsewhere: `deployImage`. */
const given = (digest: string): string => `docker.io/${repository}@${digest}`;
/** A workflow the team wrote by hand before the stack took the file over (`overwriteOnCreate`). */
const handWrittenPath = ".github/workflows/test.yml";
const handWritten =
  "# written by hand\nname: test\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n";
const rotated = {
  openaiApiKey: "rotated-openai-4c2e",
  pulumiConfigPassphrase: "rotated-passphrase-81d0",
  railwayToken: "rotated-railway-5b7f",
} as const;

let github: GitHubStateStandIn;
let registry: RegistryStandIn;
let dockerPing: DockerPingStandIn;
let railway: FakeRailway;
let ws: EngineWorkspace;
/** Production's image repository: the registry stand-in's host and the Docker Hub repository. */
const promoted = (tag: string): string => `${registry.host}/${repository}@${registry.digestOf(repository, tag)}`;

const replaceOps = new Set(["create-replacement", "delete-replaced", "replace"]);
/** `op type::name`, a replacement's three steps as one `replace`: how the engine's diff and its event log compare. */
function stepOf(op: string, urn: string): string {
  const [, , typePath = "", name = ""] = urn.split("::");
  return `${replaceOps.has(op) ? "replace" : op} ${typePath.slice(typePath.lastIndexOf("$") + 1)}::${name}`;
}
const counted = (op: string, urn: string, type: string): boolean =>
  op !== "same" && op !== "read" && type !== "pulumi:pulumi:Stack" && !type.startsWith("delivery:") && !/::default(_|$)/.test(urn);

/** What one run did to custom resources, from the engine's own event log (components only group them). */
function steps(eventLog: string): string[] {
  return readEvents(eventLog)
    .flatMap((e) => (e.resourcePreEvent === undefined ? [] : [e.resourcePreEvent.metadata]))
    .filter((m) => counted(m.op, m.urn, m.type))
    .map((m) => `${m.op} ${m.type}::${m.urn.slice(m.urn.lastIndexOf("::") + 2)}`)
    .sort();
}
const unique = (list: readonly string[]): string[] => [...new Set(list)].sort();

/** The engine's own diff: the steps of `pulumi preview --json`. */
function previewSteps(json: string): string[] {
  const parsed = JSON.parse(json) as { steps?: { op: string; urn: string; newState?: { type?: string }; oldState?: { type?: string } }[] };
  return unique(
    (parsed.steps ?? []).filter((s) => counted(s.op, s.urn, s.newState?.type ?? s.oldState?.type ?? "")).map((s) => stepOf(s.op, s.urn)),
  );
}

const outputs: string[] = [];
function expectOk(result: RunResult): void {
  outputs.push(result.stdout, result.stderr);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
}

let runCount = 0;
async function pulumi(args: readonly string[], input?: string): Promise<RunResult & { readonly steps: string[] }> {
  const eventLog = join(ws.dir, `events-up-${String(++runCount)}.jsonl`);
  const result = await ws.pulumi(
    [...args, "--event-log", eventLog],
    input === undefined ? { timeoutMs: 300_000 } : { input, timeoutMs: 300_000 },
  );
  outputs.push(result.stdout, result.stderr);
  return { ...result, steps: steps(eventLog) };
}

async function stackOutput(stack: Stack, name: string): Promise<string> {
  const result = await ws.pulumi(["stack", "output", name, "--stack", stack]);
  expectOk(result);
  return result.stdout.trim();
}

/**
 * `npm run rotate --json` (the value on standard input; its preview is the
 * engine's diff, `pulumi preview --json`), then `pulumi up`: what the preview
 * said would change, and what the up changed, both as `op type::name` with a replacement as `replace`.
 */
async function rotateAndUp(stack: Stack, key: keyof typeof rotated): Promise<{ readonly previewed: string[]; readonly applied: string[] }> {
  const preview = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), ["tools/cli/rotate.ts", "--stack", stack, "--json", key], {
    input: `${rotated[key]}\n`,
  });
  expectOk(preview);
  const up = await pulumi(["up", "--yes", "--stack", stack]);
  expectOk(up);
  return {
    previewed: previewSteps(preview.stdout),
    applied: unique(up.steps.map((s) => s.replace(/^(create-replacement|delete-replaced|replace) /, "replace "))),
  };
}

const secretType = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";
/** `update <type>::<name>` of every environment secret the offline plan publishes under a GitHub name: a rotation's GitHub consumers. */
function secretUpdates(stack: Stack, secretName: string): string[] {
  const planned = JSON.parse(readFileSync(join(ws.dir, "plan-out", stack, "resources.json"), "utf8")) as {
    type: string;
    name: string;
    inputs: { secretName?: string };
  }[];
  const names = planned
    .filter((r) => r.type === secretType && r.inputs.secretName === secretName)
    .map((r) => `update ${secretType}::${r.name}`);
  expect(names.length).toBeGreaterThan(0);
  return names;
}

async function createsAsPlanned(stack: Stack): Promise<void> {
  const before = railway.started.length;
  const up = await pulumi(["up", "--yes", "--stack", stack, "--policy-pack", join(ws.dir, "infra", "policy")]);
  expectOk(up);
  const planned = (JSON.parse(readFileSync(join(ws.dir, "plan-out", stack, "resources.json"), "utf8")) as { type: string; name: string }[])
    .map((r) => `${r.type}::${r.name}`)
    .sort();
  expect(up.steps.map((s) => s.replace(/^create /, ""))).toEqual(planned.filter((r) => !r.startsWith("delivery:")));
  expect(up.steps.every((s) => s.startsWith("create "))).toBe(true);
  expect(railway.started.length - before).toBe(1);
  expect(github.violations).toEqual([]);
  expect(github.unexpected).toEqual([]);
}

async function noChangesAndNoDrift(stack: Stack): Promise<void> {
  const before = railway.started.length;
  expectOk(await pulumi(["up", "--yes", "--stack", stack, "--expect-no-changes"]));
  expectOk(await pulumi(["preview", "--refresh", "--stack", stack, "--expect-no-changes"]));
  expect(railway.started.length).toBe(before);
  expect(github.violations).toEqual([]);
}

beforeAll(async () => {
  // The repository starts with a hand-written test workflow on both branches (they share the head commit).
  github = await new GitHubStateStandIn(
    stateFixtureFromStacks(undefined, { files: { main: { [handWrittenPath]: handWritten }, develop: { [handWrittenPath]: handWritten } } }),
  ).start();
  // Staging verified both releases' commits: production finds either in the registry, every platform in one index.
  const login = { username: stagingConfig.dockerhubUsername, password: sentinel("dockerhubToken") };
  registry = await new RegistryStandIn(
    [releaseSha, olderReleaseSha, unsignedSha].map((sha) => ({
      repository,
      tag: `verified-sha-${sha}`,
      platforms: stagingConfig.platforms,
    })),
    login,
  ).start();
  // ...and signed both releases' digests (not the third: someone with the registry token tagged it).
  for (const sha of [releaseSha, olderReleaseSha])
    await signAsStaging(registry, login, { repository, tag: `verified-sha-${sha}`, sha, appRepository: stagingConfig.repository });
  // The docker plugin pings a daemon when configured, even for registry reads (pulumi-docker#1106).
  dockerPing = await new DockerPingStandIn().start();
  // Railway knows the account token and, once issued, the one it is rotated to.
  railway = await new FakeRailway({
    deploymentStatuses: ["BUILDING", "DEPLOYING", "SUCCESS"],
    tokens: { account: [sentinel("railwayToken"), rotated.railwayToken] },
  }).start();
  ws = EngineWorkspace.create(github.baseUrl, {
    SSL_CERT_FILE: registry.certFile,
    HOME: dockerPing.home,
    RAILWAY_API_URL: `${railway.url}/graphql/v2`,
    // The service's public domain reaches the stand-in's health endpoint (see railwayEdge.cjs).
    NODE_OPTIONS: `--require ${join(__dirname, "railwayEdge.cjs")}`,
    DELIVERY_TEST_EDGE_HOSTS: stackConfigs()
      .map((c) => c.railwayDomain)
      .join(","),
    DELIVERY_TEST_EDGE_URL: railway.url,
    DEPLOY_POLL_START_MS: "50",
    DEPLOY_POLL_MAX_MS: "100",
    HEALTH_ATTEMPTS: "3",
    HEALTH_INTERVAL_MS: "50",
  });
  // Staging: no appRevision (main's head ships), the image by digest. Production: no appRevision (the
  // latest release ships) and no deployImage (staging's verified digest is promoted from the registry).
  const settings: Record<Stack, readonly (readonly [string, string])[]> = {
    staging: [
      ["buildImageOnPreview", "false"],
      ["deployImage", given(digestOf("a"))],
    ],
    production: [
      ["buildImageOnPreview", "false"],
      ["registry", registry.host],
    ],
  };
  for (const stack of ["staging", "production"] as const) {
    expectOk(await ws.pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"]));
    for (const [key, value] of settings[stack]) expectOk(await ws.pulumi(["config", "set", key, value, "--stack", stack]));
    // The tests' own signing key pair: staging's key must match the public key both stacks name.
    expectOk(await ws.pulumi(["config", "set", "imageSigningPublicKey", "--stack", stack], { input: fixtureSigningPublicKey }));
    const plan = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), [
      "tools/cli/plan.ts",
      "--stack",
      stack,
      "--out",
      join(ws.dir, "plan-out", stack),
    ]);
    expectOk(plan);
    const listed = [...plan.stdout.matchAll(new RegExp(`pulumi config set --secret (\\w+) --stack ${stack}`, "g"))].map(
      (m) => m[1] as SecretKey,
    );
    for (const key of new Set([...listed, "githubToken" as const]))
      expectOk(await ws.pulumi(["config", "set", "--secret", key, "--stack", stack], { input: secretValue(key) }));
  }
}, 600_000);

afterAll(async () => {
  await github.stop();
  await registry.stop();
  await dockerPing.stop();
  await railway.stop();
  ws.remove();
});

describe("pulumi up --stack staging on the real engine", () => {
  it("creates from nothing exactly what the offline plan lists, taking over the hand-written workflow; Railway deploys the digest once", async () => {
    await createsAsPlanned("staging");
    expect(railway.instance.image).toBe(given(digestOf("a")));
    expect(github.file(handWrittenPath)).not.toBe(handWritten);
    expect(github.file(handWrittenPath)).toMatch(/generated/i);
    expect(await stackOutput("staging", "revision")).toBe(headSha);
    // The governing stack's hardening: release tags only the App and admins may move, Actions' token read-only
    // and unable to approve pull requests, the drift environments on the default branch only.
    const held = github.snapshot();
    expect(held.rulesets.map((r) => r.name).sort()).toEqual(["protect-develop", "protect-main", "protect-release-tags"]);
    expect(held.workflowPermissions).toEqual({ defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false });
    expect(github.environment("staging-drift")).toBeDefined();
  });

  it("stored every secret sealed, decrypting to the value set with pulumi config set --secret", () => {
    expect(github.environment("staging")).toBeDefined();
    expect(github.decryptSecret("OPENAI_API_KEY", "staging")).toBe(sentinel("openaiApiKey"));
    expect(github.decryptSecret("PULUMI_CONFIG_PASSPHRASE", "staging")).toBe(sentinel("pulumiConfigPassphrase"));
  });

  it("a second up, after its own workflow-file commits moved main, still ships the app's commit: nothing changes, nothing deploys; the drift check passes", async () => {
    const own = github.history("main").filter((c) => c.sha !== headSha);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((c) => isOwnCommit(c))).toBe(true);
    await noChangesAndNoDrift("staging");
    // The program read main's history (the head first, as GitHub lists it) and walked past those commits,
    // through the provider's REST data source: one request, no separate branch look-up.
    const reads = github.calls.filter((c) => c.path.endsWith("/commits") && c.query.includes("sha=main") && c.status === 200);
    expect(reads.length).toBeGreaterThan(0);
    expect(github.calls.some((c) => c.path.includes("/git/ref/heads/"))).toBe(false);
    expect(await stackOutput("staging", "revision")).toBe(headSha);
  });

  it("rotating an app key (openaiApiKey): the engine's diff and the up touch its GitHub secret and redeploy once with the new value", async () => {
    const before = railway.started.length;
    const { previewed, applied } = await rotateAndUp("staging", "openaiApiKey");
    const expected = unique(["replace command:local:Command::delivery-railway-deploy", ...secretUpdates("staging", "OPENAI_API_KEY")]);
    expect(previewed).toEqual(expected);
    expect(applied).toEqual(expected);
    expect(railway.started.length - before).toBe(1);
    expect(github.decryptSecret("OPENAI_API_KEY", "staging")).toBe(rotated.openaiApiKey);
    expect(railway.instance.variables["OPENAI_API_KEY"]).toBe(rotated.openaiApiKey);
  });

  it("rotating a GitHub-only secret (pulumiConfigPassphrase): only its GitHub secrets change, Railway deploys nothing", async () => {
    const before = railway.requests.length;
    const { previewed, applied } = await rotateAndUp("staging", "pulumiConfigPassphrase");
    const expected = secretUpdates("staging", "PULUMI_CONFIG_PASSPHRASE").sort();
    expect(expected.length).toBeGreaterThan(1); // the deploy and the preview environment
    expect(previewed).toEqual(expected);
    expect(applied).toEqual(expected);
    expect(railway.requests.length).toBe(before);
    expect(github.decryptSecret("PULUMI_CONFIG_PASSPHRASE", "staging")).toBe(rotated.pulumiConfigPassphrase);
  });

  it("a failed Railway deploy (its health check fails) exits non-zero with the client's message, the previous deploy still serving; the next up retries it", async () => {
    const serving = railway.serving;
    expect(serving).toHaveLength(1);
    railway.reconfigure({ deploymentStatuses: ["BUILDING", "DEPLOYING", "FAILED"] });
    try {
      expectOk(await ws.pulumi(["config", "set", "deployImage", given(digestOf("b")), "--stack", "staging"]));
      const failed = await pulumi(["up", "--yes", "--stack", "staging"]);
      expect(failed.code).not.toBe(0);
      expect(`${failed.stdout}\n${failed.stderr}`).toMatch(
        new RegExp(`ended FAILED[^\\n]*Railway never made it active, so deployment ${serving[0] ?? ""} still serves: nothing to roll back`),
      );
      expect(railway.serving).toEqual(serving);
    } finally {
      railway.reconfigure({ deploymentStatuses: ["BUILDING", "DEPLOYING", "SUCCESS"] });
    }
    const before = railway.started.length;
    const retry = await pulumi(["up", "--yes", "--stack", "staging"]);
    expectOk(retry);
    expect(unique(retry.steps.map((s) => s.replace(/^(create-replacement|delete-replaced|replace) /, "replace ")))).toEqual([
      "replace command:local:Command::delivery-railway-deploy",
    ]);
    expect(railway.started.length - before).toBe(1);
    expect(railway.instance.image).toBe(given(digestOf("b")));
    expect(railway.serving).not.toEqual(serving);
  });
});

describe("pulumi up --stack production on the real engine", () => {
  it("creates from nothing exactly what the offline plan lists, promoting the digest staging verified for the latest release", async () => {
    await createsAsPlanned("production");
    const verified = promoted(`verified-sha-${releaseSha}`);
    expect(railway.instance.image).toBe(verified);
    // The same bytes, now also tagged with the release's version.
    expect(registry.tagDigest(repository, releaseTag)).toBe(registry.digestOf(repository, `verified-sha-${releaseSha}`));
    expect(await stackOutput("production", "version")).toBe(releaseTag);
    expect(github.decryptSecret("RAILWAY_API_TOKEN", "production")).toBe(sentinel("railwayToken"));
  });

  it("a second up changes nothing and deploys nothing; the drift check passes", async () => {
    await noChangesAndNoDrift("production");
  });

  it("the repository GitHub now holds gives code no reviewer approved no secret: the analysis of its environments, rulesets and committed workflows", () => {
    const secretsSet = { staging: secureKeys(ws.readStackFile("staging")), production: secureKeys(ws.readStackFile("production")) };
    const model = repositoryModelOfGitHub(github, secretsSet);
    const reach = reachability(model, committedWorkflows(github));
    expect(unreviewedReach(reach)).toEqual([]);
    const row = (trigger: string) => reach.find((r) => r.trigger === trigger);
    expect([...(row("branch")?.afterApproval ?? [])].sort()).toEqual(["production-preview", "staging-preview"]);
    expect([...(row("default-branch")?.environments ?? [])].sort()).toEqual(["production-drift", "staging", "staging-drift"]);
    expect(row("release-tag")?.afterApproval).toContain("production");
    // Reviewed code holds what it needs: production's deploy holds production's passphrase, so its whole config.
    expect(
      row("release-tag")
        ?.secrets.filter((s) => s.stack === "production")
        .map((s) => s.configKey)
        .sort(),
    ).toEqual([...secretsSet.production].sort());
  });

  it("rotating the Railway token: the engine's diff and the up touch its GitHub secret and redeploy once, with the new token", async () => {
    const before = railway.started.length;
    const requestsBefore = railway.requests.length;
    const { previewed, applied } = await rotateAndUp("production", "railwayToken");
    // The token is in the deploy command's environment, not its triggers: an update, which runs the create again.
    expect(previewed).toEqual(
      unique(["update command:local:Command::delivery-railway-deploy", ...secretUpdates("production", "RAILWAY_API_TOKEN")]),
    );
    expect(applied).toEqual(previewed);
    expect(railway.started.length - before).toBe(1);
    const since = railway.requests.slice(requestsBefore);
    expect(since.length).toBeGreaterThan(0);
    for (const request of since) expect(request.authorization).toBe(`Bearer ${rotated.railwayToken}`);
    expect(github.decryptSecret("RAILWAY_API_TOKEN", "production")).toBe(rotated.railwayToken);
  });

  /** A refused `up`: exit non-zero with `message`, no GitHub write, no Railway request, no registry write. */
  async function refusedUp(message: RegExp, env?: Readonly<Record<string, string>>): Promise<void> {
    const githubWrites = github.calls.filter((c) => c.method !== "GET").length;
    const railwayRequests = railway.requests.length;
    const registryWrites = registry.calls.filter((c) => c.method !== "GET" && c.method !== "HEAD").length;
    const eventLog = join(ws.dir, `events-up-${String(++runCount)}.jsonl`);
    const up = await ws.pulumi(["up", "--yes", "--stack", "production", "--event-log", eventLog], {
      timeoutMs: 300_000,
      ...(env === undefined ? {} : { env }),
    });
    outputs.push(up.stdout, up.stderr);
    expect(up.code).not.toBe(0);
    expect(`${up.stdout}\n${up.stderr}`).toMatch(message);
    expect(steps(eventLog)).toEqual([]);
    expect(github.calls.filter((c) => c.method !== "GET").length).toBe(githubWrites);
    expect(railway.requests.length).toBe(railwayRequests);
    expect(registry.calls.filter((c) => c.method !== "GET" && c.method !== "HEAD").length).toBe(registryWrites);
  }

  it("refuses a release whose verified tag names a digest staging never signed: nothing is created, changed or deployed", async () => {
    expectOk(await ws.pulumi(["config", "set", "appRevision", unsignedTag, "--stack", "production"]));
    try {
      await refusedUp(
        new RegExp(
          `will not ship ${unsignedTag}: .*carries no valid signature of staging's for this commit \\(no signature: the registry has no sha256-`,
        ),
      );
    } finally {
      expectOk(await ws.pulumi(["config", "rm", "appRevision", "--stack", "production"]));
    }
    expect(unsignedSha).not.toBe(releaseSha);
  });

  it("refuses a release tag that no longer names the commit the workflow ran for (the tag moved), before anything is written", async () => {
    await refusedUp(
      new RegExp(`Tag ${releaseTag} names commit ${releaseSha}, but the workflow ran for ${olderReleaseSha}: the tag moved`),
      {
        DELIVERY_APP_REVISION: releaseTag,
        DELIVERY_APP_REVISION_SHA: olderReleaseSha,
      },
    );
  });

  it("rolls back the production workflow's way, to an older release tag: its verified digest deploys, nothing else changes", async () => {
    const before = railway.started.length;
    expectOk(await ws.pulumi(["config", "set", "appRevision", olderReleaseTag, "--stack", "production"]));
    const up = await pulumi(["up", "--yes", "--stack", "production"]);
    expectOk(up);
    // The image's version tag is a new tag (a replacement; the old one is retained), and Railway redeploys.
    expect(unique(up.steps.map((s) => s.replace(/^(create-replacement|delete-replaced|replace) /, "replace ")))).toEqual([
      "replace command:local:Command::delivery-railway-deploy",
      "replace docker-build:index:Index::delivery-app-version-tag",
    ]);
    expect(railway.instance.image).toBe(promoted(`verified-sha-${olderReleaseSha}`));
    expect(railway.started.length - before).toBe(1);
    expect(registry.tagDigest(repository, olderReleaseTag)).toBe(registry.digestOf(repository, `verified-sha-${olderReleaseSha}`));
    expect(registry.tagDigest(repository, releaseTag)).toBe(registry.digestOf(repository, `verified-sha-${releaseSha}`));
    expect(await stackOutput("production", "revision")).toBe(olderReleaseSha);
  });
});

describe("after both stacks", () => {
  it("no secret value appeared in any output, or in plain text in either stack's state", async () => {
    for (const stack of ["staging", "production"] as const) {
      const exported = await ws.pulumi(["stack", "export", "--stack", stack]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain("ciphertext");
      outputs.push(exported.stdout);
    }
    const everything = outputs.join("\n");
    for (const value of [...allSentinels, ...Object.values(rotated)]) expect(everything).not.toContain(value);
  });

  it("destroy (production, then the governing staging) removes every GitHub object they created, keeps the images, leaves Railway serving", async () => {
    const serving = railway.serving;
    const railwayRequests = railway.requests.length;
    const tags = registry.tagsOf(repository);
    for (const stack of ["production", "staging"]) expectOk(await pulumi(["destroy", "--yes", "--stack", stack]));
    expect(github.violations).toEqual([]);
    expect(github.environment("staging")).toBeUndefined();
    expect(github.environment("production")).toBeUndefined();
    // What is left, exactly (docs/verification.md, "After destroy"): the provider's delete of Actions permissions is a
    // partial PUT, so SHA pinning and the allow-list stay; the hand-written workflow the stack took over
    // is deleted with the stack's file (it stays in main's history, restorable from the commit before).
    const left = github.leftovers();
    expect(left.filter((l) => !l.startsWith("actions permissions: ") && !l.startsWith("workflow permissions: "))).toEqual([
      `file ${handWrittenPath} on main (deleted)`,
    ]);
    // The provider's delete of the workflow permissions resets them to GitHub's defaults for new repositories.
    expect(left.filter((l) => l.startsWith("workflow permissions: "))).toEqual([
      "workflow permissions: read, can approve pull requests false (was write, true)",
    ]);
    expect(left.filter((l) => l.startsWith("actions permissions: ")).map((l) => l.split(" ")[2])).toEqual([
      "sha_pinning_required",
      "selected",
    ]);
    expect(github.file(handWrittenPath, "develop")).toBe(handWritten);
    const before = await fetch(`${github.baseUrl}api/v3/repos/${stagingConfig.repository}/contents/${handWrittenPath}?ref=${headSha}`, {
      headers: { authorization: "Bearer test" },
    });
    expect(Buffer.from(String(((await before.json()) as { content?: string }).content), "base64").toString()).toBe(handWritten);
    // Images are retained (Docker Hub deletes nothing through the registry API); Railway is not touched.
    expect(registry.tagsOf(repository)).toEqual(tags);
    expect(railway.requests.length).toBe(railwayRequests);
    expect(railway.serving).toEqual(serving);
  });
});
