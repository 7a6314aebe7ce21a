// `pulumi up` on the real engine, offline, staging then production, with real images and containers:
// staging builds the app's commit for every platform with BuildKit (from the app's git, served by the
// GitHub stand-in as GitHub Enterprise Server serves it), pushes it to a real registry with its cache,
// deploys it by digest to the Railway stand-in, which pulls it and runs it as a container, signs it and
// tags it verified; production promotes that digest without a rebuild. Then: a second up that changes
// nothing, rotations that reach the running app, a code change that rebuilds only what changed and whose
// failing health keeps the old container serving, the bad inputs a build meets, refusals, a rollback to an
// older release's digest, destroy. The kit (test/kit/) provides the Docker daemon, the registry, BuildKit
// and the Python base image; GitHub and Railway are the stand-ins.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretKeys, type SecretKey } from "../../src/config";
import { isOwnCommit, reachability, signedAnnotations, unreviewedReach } from "../../src/pipeline";
import { verifySignature } from "../../src/signing/cosign";
import { RegistryClient } from "../../src/signing/registryClient";
import { describeLeaks, findLeaks } from "../helpers/leakValues";
import { FakeRailway } from "../railway/fakeRailway";
import { trafficProfiles } from "../railway/trafficProfiles";
import { allSentinels, fixtureSigningPublicKey, sentinel } from "../helpers/stacks";
import type { KitState } from "../kit/kit";
import type { AppRepository } from "./appRepository";
import { startBuildStage, type BuildStage } from "./buildStage";
import { ContainerRuntime } from "./containerRuntime";
import { buildSteps, providerLog, readEvents } from "./events";
import { olderReleaseTag, releaseTag, stackConfigs, unsignedSha, unsignedTag } from "./fixture";
import { GitHubStateStandIn } from "./githubState";
import { engineSecrets } from "./leakClasses";
import { committedWorkflows, repositoryModelOfGitHub, secureKeys } from "./reachabilityOfGitHub";
import { EngineWorkspace, type RunResult } from "./workspace";

type Stack = "staging" | "production";
const [stagingConfig, productionConfig] = stackConfigs();
if (stagingConfig === undefined || productionConfig === undefined) throw new Error("no stacks");
const repository = stagingConfig.dockerhubRepository;
/** A workflow the team wrote by hand before the stack took the file over (`overwriteOnCreate`). */
const handWrittenPath = ".github/workflows/test.yml";
const handWritten =
  "# written by hand\nname: test\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n";
const rotated = {
  openaiApiKey: "rotated-openai-4c2e",
  pulumiConfigPassphrase: "rotated-passphrase-81d0",
  railwayToken: "rotated-railway-5b7f",
} as const;
/** The only token the app repository's git lets a build clone with: the deploy workflow's read-only clone token. */
const cloneToken = "clone-token-read-only-3c9e51";
const secrets = engineSecrets(secretKeys, 1);
/** Further values set during the run, searched for in every output too. */
const rotatedValues: string[] = [];

let kit: KitState;
let app: AppRepository;
let github: GitHubStateStandIn;
let runtime: ContainerRuntime;
let railway: FakeRailway;
let ws: EngineWorkspace;
let registry: RegistryClient;
/** The app's commits: the older release, the release (main's head at the start), later heads. */
const commits = { older: "", release: "" };

/** The value each secret is set to: the registry's real password for the push token; the rest as the leak classes give them. */
function secretValue(key: SecretKey, state: KitState = kit): string {
  return key === "dockerhubToken" ? state.registryPassword : secrets.value(key);
}

const replaceOps = new Set(["create-replacement", "delete-replaced", "replace"]);
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
const asReplace = (list: readonly string[]): string[] =>
  unique(list.map((s) => s.replace(/^(create-replacement|delete-replaced|replace) /, "replace ")));

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
async function pulumi(
  args: readonly string[],
  options: { input?: string; env?: Readonly<Record<string, string>> } = {},
): Promise<RunResult & { readonly steps: string[]; readonly buildLog: string }> {
  const eventLog = join(ws.dir, `events-up-${String(++runCount)}.jsonl`);
  const result = await ws.pulumi([...args, "--event-log", eventLog], { timeoutMs: 600_000, ...options });
  outputs.push(result.stdout, result.stderr);
  return { ...result, steps: steps(eventLog), buildLog: providerLog(readEvents(eventLog), "docker-build:index:Image") };
}
const up = (stack: Stack, extra: readonly string[] = []): ReturnType<typeof pulumi> => pulumi(["up", "--yes", "--stack", stack, ...extra]);

async function stackOutput(stack: Stack, name: string): Promise<string> {
  const result = await ws.pulumi(["stack", "output", name, "--stack", stack]);
  expectOk(result);
  return result.stdout.trim();
}

async function rotateAndUp(stack: Stack, key: keyof typeof rotated): Promise<{ readonly previewed: string[]; readonly applied: string[] }> {
  const preview = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), ["tools/cli/rotate.ts", "--stack", stack, "--json", key], {
    input: `${rotated[key]}\n`,
  });
  expectOk(preview);
  const applied = await up(stack);
  expectOk(applied);
  return { previewed: previewSteps(preview.stdout), applied: asReplace(applied.steps) };
}

const secretType = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";
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

function plannedResources(stack: Stack): string[] {
  return (JSON.parse(readFileSync(join(ws.dir, "plan-out", stack, "resources.json"), "utf8")) as { type: string; name: string }[])
    .map((r) => `${r.type}::${r.name}`)
    .sort();
}

async function createsAsPlanned(stack: Stack): Promise<void> {
  const before = railway.started.length;
  const created = await pulumi(["up", "--yes", "--stack", stack, "--policy-pack", join(ws.dir, "infra", "policy")]);
  expectOk(created);
  expect(created.steps.map((s) => s.replace(/^create /, ""))).toEqual(plannedResources(stack).filter((r) => !r.startsWith("delivery:")));
  expect(created.steps.every((s) => s.startsWith("create "))).toBe(true);
  expect(railway.started.length - before).toBe(1);
  expect(github.violations).toEqual([]);
  expect(github.unexpected).toEqual([]);
}

/** The registry's tags of the app's repository. */
async function tagDigest(tag: string): Promise<string | undefined> {
  return (await registry.manifest(tag))?.digest;
}
const short = (sha: string): string => sha.slice(0, 7);
const imageOf = (digest: string): string => `${kit.registry}/${repository}@${digest}`;

/** What the serving container answers on the service's public domain (Railway's edge, the stand-in). */
async function served(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await fetch(`${railway.url}${path}`);
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

async function noChangesAndNoDrift(stack: Stack): Promise<void> {
  const before = railway.started.length;
  const again = await up(stack, ["--expect-no-changes"]);
  expectOk(again);
  expect(again.steps).toEqual([]);
  expectOk(await pulumi(["preview", "--refresh", "--stack", stack, "--expect-no-changes"]));
  expect(railway.started.length).toBe(before);
  expect(github.violations).toEqual([]);
}

/** A commit of the app pushed to main (a merged pull request): in its git, and as GitHub's head of main. */
const pushAppCommit = (message: string, files: Readonly<Record<string, string>>): string => stage.pushAppCommit(message, files);

let stage: BuildStage;
beforeAll(async () => {
  stage = await startBuildStage({
    secretValue: (key, state) => secretValue(key, state),
    cloneToken,
    railwayTokens: [sentinel("railwayToken"), rotated.railwayToken],
    files: { [handWrittenPath]: handWritten },
    check: (result) => {
      expectOk(result);
    },
  });
  ({ kit, app, github, runtime, railway, ws, registry } = stage);
  commits.older = stage.commits.older;
  commits.release = stage.commits.release;
}, 1_800_000);

afterAll(async () => {
  await stage.stop();
}, 600_000);

describe("pulumi up --stack staging: a real build, push, deploy and run", () => {
  it("creates from nothing exactly what the offline plan lists; builds main's commit for each platform, joins them, deploys the index by digest, which runs; then signs it and tags it verified", async () => {
    await createsAsPlanned("staging");
    expect(await stackOutput("staging", "revision")).toBe(commits.release);
    const index = await registry.manifest(`sha-${short(commits.release)}`);
    if (index === undefined) throw new Error("the commit's index was not pushed");
    expect(index.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    const platforms = (
      JSON.parse(index.body.toString()) as { manifests: { platform: { os: string; architecture: string } }[] }
    ).manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`);
    expect(platforms.sort()).toEqual([...stagingConfig.platforms].sort());
    // Railway was told the index by digest, pulled it and runs it: the container answers on the public domain.
    expect(railway.instance.image).toBe(imageOf(index.digest));
    expect(runtime.events.filter((e) => e.what === "healthy")).toHaveLength(1);
    expect(await served("/health")).toMatchObject({ status: 200, body: { status: "ok" } });
    // Signed for this commit, then tagged verified: what production will trust.
    expect(await tagDigest(`verified-sha-${commits.release}`)).toBe(index.digest);
    expect(
      await verifySignature(registry, index.digest, fixtureSigningPublicKey, signedAnnotations(stagingConfig.repository, commits.release)),
    ).toMatchObject({
      verified: true,
    });
    // Each platform's registry cache was written.
    for (const platform of stagingConfig.platforms) expect(await tagDigest(`buildcache-${platform.replace("linux/", "")}`)).toBeDefined();
    // BuildKit cloned the app's commit with the read-only clone token, never with the provider's token.
    expect(github.gitRequests.length).toBeGreaterThan(0);
    expect(github.gitRequests.filter((r) => r.status === 200).every((r) => r.token === cloneToken)).toBe(true);
    expect(github.gitRequests.some((r) => r.token === sentinel("githubToken"))).toBe(false);
    expect(github.file(handWrittenPath)).toMatch(/generated/i);
  });

  it("stored every secret sealed, decrypting to the value set with pulumi config set --secret", () => {
    expect(github.decryptSecret("OPENAI_API_KEY", "staging")).toBe(secretValue("openaiApiKey"));
    expect(github.decryptSecret("PULUMI_CONFIG_PASSPHRASE", "staging")).toBe(secretValue("pulumiConfigPassphrase"));
    const held = github.snapshot();
    expect(held.rulesets.map((r) => r.name).sort()).toEqual(["protect-develop", "protect-main", "protect-release-tags"]);
    expect(held.workflowPermissions).toEqual({ defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false });
    expect(github.environment("staging-drift")).toBeDefined();
  });

  it("a second up, after its own workflow-file commits moved main, builds, pushes and deploys nothing; the drift check passes", async () => {
    const own = github.history("main").filter((c) => c.sha !== commits.release);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((c) => isOwnCommit(c))).toBe(true);
    const digest = await tagDigest(`sha-${short(commits.release)}`);
    await noChangesAndNoDrift("staging");
    expect(await tagDigest(`sha-${short(commits.release)}`)).toBe(digest);
    expect(await stackOutput("staging", "revision")).toBe(commits.release);
  });

  it("rotating an app key: its GitHub secret and one redeploy, and the running app has the new key", async () => {
    const before = railway.started.length;
    const { previewed, applied } = await rotateAndUp("staging", "openaiApiKey");
    const expected = unique(["replace command:local:Command::delivery-railway-deploy", ...secretUpdates("staging", "OPENAI_API_KEY")]);
    expect(previewed).toEqual(expected);
    expect(applied).toEqual(expected);
    expect(railway.started.length - before).toBe(1);
    expect(github.decryptSecret("OPENAI_API_KEY", "staging")).toBe(rotated.openaiApiKey);
    // The container serving now was started with the rotated key (its sha256; the app never shows a key).
    const { createHash } = await import("node:crypto");
    const keys = (await served("/keys")).body as Record<string, { sha256?: string }>;
    expect(keys["OPENAI_API_KEY"]?.sha256).toBe(createHash("sha256").update(rotated.openaiApiKey).digest("hex"));
  });

  it("rotating a GitHub-only secret (pulumiConfigPassphrase): only its GitHub secrets change, Railway deploys nothing", async () => {
    const before = railway.requests.length;
    const { previewed, applied } = await rotateAndUp("staging", "pulumiConfigPassphrase");
    const expected = secretUpdates("staging", "PULUMI_CONFIG_PASSPHRASE").sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(previewed).toEqual(expected);
    expect(applied).toEqual(expected);
    expect(railway.requests.length).toBe(before);
  });

  it("a flapping release goes live, fails the probe's run of successes, and is rolled back: the service keeps the rotated key", async () => {
    const serving = railway.serving;
    pushAppCommit("Cache health answers", { "app/health_mode": "flap\n" });
    // Rotated in the same up: the deployment rolled back to holds the key before, which Railway's rollback restores.
    const rotatedAgain = "rotated-openai-again-9d31";
    rotatedValues.push(rotatedAgain);
    expectOk(await ws.pulumi(["config", "set", "--secret", "openaiApiKey", "--stack", "staging"], { input: rotatedAgain }));
    const failed = await up("staging");
    expect(failed.code).not.toBe(0);
    expect(`${failed.stdout}\n${failed.stderr}`).toMatch(
      /answered 2xx at most 1 time in a row, then HTTP 500 \(3 in a row are needed, healthCheckSuccesses\): the app is flapping; rolled back to deployment (\S+) \(deployment \S+ serves it\); the service's variables are the stack's current values again/,
    );
    expect(railway.rolledBackTo).toBe(serving[0]);
    // Railway's rollback put the old key back; the deploy put the stack's current one back (no deploy of its own).
    const { createHash } = await import("node:crypto");
    expect(railway.instance.variables["OPENAI_API_KEY"]).toBe(rotatedAgain);
    expect(await served("/health")).toMatchObject({ status: 200, body: { status: "ok" } });
    // The next deploy, healthy, runs with the current key.
    pushAppCommit("Revert: cache health answers", { "app/health_mode": "ok\n" });
    expectOk(await up("staging"));
    const keys = (await served("/keys")).body as Record<string, { sha256?: string }>;
    expect(keys["OPENAI_API_KEY"]?.sha256).toBe(createHash("sha256").update(rotatedAgain).digest("hex"));
  });

  it("a release that bursts 5xx after go-live fails its bake: rolled back once, the previous deployment serving, its digest not verified", async () => {
    const serving = railway.serving;
    const rollbacks = (): number => railway.requests.filter((r) => r.operationName === "Rollback").length;
    const before = rollbacks();
    // From now on, a deployment a deploy starts answers 30% 5xx from its go-live; the one serving keeps its steady traffic.
    railway.reconfigure({ traffic: trafficProfiles.burst(0) });
    try {
      const bursting = pushAppCommit("Parse requests with the new codec", { "app/release.txt": "codec\n" });
      const failed = await up("staging");
      expect(failed.code).not.toBe(0);
      expect(`${failed.stdout}\n${failed.stderr}`).toMatch(
        /went live, then failed its bake: 5xx ratio [\d.]+% \(\d+ of \d+ requests\) in the 2 s bake since go-live, against 0\.0% \(0 of \d+ requests\) before it; allowed: 1\.0% \(bakeMaxErrorRateIncrease 0\.01\) \(from Railway's metrics\); rolled back to deployment \S+ \(deployment \S+ serves it\); the service's variables are the stack's current values again/,
      );
      expect(rollbacks()).toBe(before + 1);
      expect(railway.rolledBackTo).toBe(serving[0]);
      expect(railway.serving).toEqual([`rollback-of-${serving[0] ?? ""}`]);
      expect(await served("/health")).toMatchObject({ status: 200, body: { status: "ok" } });
      // Staging never vouched for it: production cannot promote it.
      expect(await tagDigest(`sha-${short(bursting)}`)).toBeDefined();
      expect(await tagDigest(`verified-sha-${bursting}`)).toBeUndefined();
    } finally {
      railway.reconfigure({ traffic: undefined });
    }
  });

  it("a code change rebuilds only what changed (the cache is used), and a failing health route keeps the old container serving", async () => {
    const serving = railway.serving;
    const containers = runtime.containers;
    const failing = pushAppCommit("Health check reads the new store", { "app/health_mode": "fail\n" });
    const failed = await up("staging");
    expect(failed.code).not.toBe(0);
    expect(`${failed.stdout}\n${failed.stderr}`).toMatch(
      /ended FAILED[^\n]*Railway never made it active, so deployment \S+ still serves: nothing to roll back/,
    );
    // BuildKit's own output: the base image and the requirements came from the cache; only the app's files and what follows ran again.
    // (docker-build streams it to the engine as status lines, which the event log keeps.)
    const built = buildSteps(failed.buildLog);
    expect(built.filter((s) => s.cached).map((s) => s.step)).toEqual(["WORKDIR /app", "COPY requirements.txt ./"]);
    expect(built.filter((s) => !s.cached).map((s) => s.step.split(" ")[0])).toEqual(["FROM", "COPY", "RUN"]);
    expect(failed.steps.filter((s) => s.includes("docker-build:index:Image"))).toHaveLength(stagingConfig.platforms.length);
    expect(railway.serving).toEqual(serving);
    expect(runtime.containers).toEqual(containers);
    expect(await served("/health")).toMatchObject({ status: 200 });
    // Never vouched for: no signature, no verified tag.
    expect(await tagDigest(`verified-sha-${failing}`)).toBeUndefined();
    const fixed = pushAppCommit("Health check reads the store it has", { "app/health_mode": "ok\n" });
    expectOk(await up("staging"));
    expect(railway.serving).not.toEqual(serving);
    expect(await served("/health")).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(await tagDigest(`verified-sha-${fixed}`)).toBe(await tagDigest(`sha-${short(fixed)}`));
  });

  it("a Dockerfile that fails to build stops up naming the image, the platform and the fix; nothing is deployed", async () => {
    const started = railway.started.length;
    const dockerfile = readFileSync(join(app.root, "..", "work", "Dockerfile"), "utf8");
    const broken = pushAppCommit("Install the new dependency", { Dockerfile: dockerfile.replace("RUN python3", "RUN exit 3 && python3") });
    const failed = await up("staging");
    expect(failed.code).not.toBe(0);
    expect(`${failed.stdout}\n${failed.stderr}`).toMatch(
      new RegExp(`image of ${kit.registry}/${repository} failed to build at commit ${broken} \\(Dockerfile\\)`),
    );
    expect(`${failed.stdout}\n${failed.stderr}`).toContain("pulumi config set appRevision <sha|tag> --stack staging");
    expect(railway.started.length).toBe(started);
    pushAppCommit("Revert: install the new dependency", { Dockerfile: dockerfile });
  });

  it("a registry that refuses the push (a wrong token) stops up naming the image and the fix; nothing is deployed", async () => {
    const started = railway.started.length;
    expectOk(await ws.pulumi(["config", "set", "--secret", "dockerhubToken", "--stack", "staging"], { input: "wrong-registry-token-1" }));
    try {
      const failed = await up("staging");
      expect(failed.code).not.toBe(0);
      expect(`${failed.stdout}\n${failed.stderr}`).toMatch(
        /could not be pushed: the registry refused the login of dockerhubUsername\. Fix: .*pulumi config set --secret dockerhubToken --stack staging/,
      );
      expect(railway.started.length).toBe(started);
    } finally {
      expectOk(await ws.pulumi(["config", "set", "--secret", "dockerhubToken", "--stack", "staging"], { input: kit.registryPassword }));
    }
  });

  it("a platform the builder cannot build stops up naming that platform and the fix; nothing is deployed", async () => {
    const started = railway.started.length;
    expectOk(await ws.pulumi(["config", "set", "--path", "platforms[2]", "linux/s390x", "--stack", "staging"]));
    try {
      const failed = await up("staging");
      expect(failed.code).not.toBe(0);
      expect(`${failed.stdout}\n${failed.stderr}`).toMatch(
        // The kit's base image is built for amd64 and arm64 only (and the builder could not run s390x either).
        /the linux\/s390x image of \S+ could not be built: the Dockerfile's base image \S+ has no linux\/s390x variant\. Fix: /,
      );
      expect(railway.started.length).toBe(started);
    } finally {
      expectOk(await ws.pulumi(["config", "rm", "--path", "platforms[2]", "--stack", "staging"]));
    }
    expectOk(await up("staging"));
  });

  it("ships an older release when pinned (appRevision), signing its digest too, then main's head again", async () => {
    expectOk(await ws.pulumi(["config", "set", "appRevision", olderReleaseTag, "--stack", "staging"]));
    expectOk(await up("staging"));
    const older = await tagDigest(`sha-${short(commits.older)}`);
    expect(older).toBeDefined();
    expect(await tagDigest(`verified-sha-${commits.older}`)).toBe(older);
    expect(railway.instance.image).toBe(imageOf(older ?? ""));
    expectOk(await ws.pulumi(["config", "rm", "appRevision", "--stack", "staging"]));
    expectOk(await up("staging"));
    expect(railway.instance.image).not.toBe(imageOf(older ?? ""));
  });
});

describe("pulumi up --stack production: promote staging's signed digest, no rebuild", () => {
  it("creates from nothing exactly what the offline plan lists, with no image build: the latest release's verified digest deploys and runs", async () => {
    const releaseDigest = await tagDigest(`verified-sha-${commits.release}`);
    if (releaseDigest === undefined) throw new Error("staging never verified the release");
    await createsAsPlanned("production");
    expect(plannedResources("production").some((r) => r.startsWith("docker-build:index:Image::"))).toBe(false);
    expect(railway.instance.image).toBe(imageOf(releaseDigest));
    expect(await tagDigest(releaseTag)).toBe(releaseDigest);
    expect(await served("/health")).toMatchObject({ status: 200 });
    expect(await stackOutput("production", "version")).toBe(releaseTag);
    expect(github.decryptSecret("RAILWAY_API_TOKEN", "production")).toBe(sentinel("railwayToken"));
  });

  it("a second up changes nothing and deploys nothing; the drift check passes", async () => {
    await noChangesAndNoDrift("production");
  });

  it("the repository GitHub now holds gives code no reviewer approved no secret", () => {
    const secretsSet = { staging: secureKeys(ws.readStackFile("staging")), production: secureKeys(ws.readStackFile("production")) };
    const reach = reachability(repositoryModelOfGitHub(github, secretsSet), committedWorkflows(github));
    expect(unreviewedReach(reach)).toEqual([]);
    const row = (trigger: string) => reach.find((r) => r.trigger === trigger);
    expect([...(row("branch")?.afterApproval ?? [])].sort()).toEqual(["production-preview", "staging-preview"]);
    expect([...(row("default-branch")?.environments ?? [])].sort()).toEqual(["production-drift", "staging", "staging-drift"]);
    expect(row("release-tag")?.afterApproval).toContain("production");
  });

  it("rotating the Railway token: its GitHub secret and one redeploy, with the new token", async () => {
    const before = railway.started.length;
    const requestsBefore = railway.requests.length;
    const { previewed, applied } = await rotateAndUp("production", "railwayToken");
    expect(previewed).toEqual(
      unique(["update command:local:Command::delivery-railway-deploy", ...secretUpdates("production", "RAILWAY_API_TOKEN")]),
    );
    expect(applied).toEqual(previewed);
    expect(railway.started.length - before).toBe(1);
    for (const request of railway.requests.slice(requestsBefore)) expect(request.authorization).toBe(`Bearer ${rotated.railwayToken}`);
  });

  /** A refused `up`: exit non-zero with `message`, nothing planned, no GitHub write, no Railway request. */
  async function refusedUp(message: RegExp, env?: Readonly<Record<string, string>>): Promise<void> {
    const githubWrites = github.calls.filter((c) => c.method !== "GET").length;
    const railwayRequests = railway.requests.length;
    const refused = await pulumi(["up", "--yes", "--stack", "production"], env === undefined ? {} : { env });
    expect(refused.code).not.toBe(0);
    expect(`${refused.stdout}\n${refused.stderr}`).toMatch(message);
    expect(refused.steps).toEqual([]);
    expect(github.calls.filter((c) => c.method !== "GET").length).toBe(githubWrites);
    expect(railway.requests.length).toBe(railwayRequests);
  }

  it("refuses a release whose verified tag was moved to a digest staging signed for another commit", async () => {
    // Whoever holds the registry token points the release's verified tag at bytes staging vouched for another commit.
    const moved = await registry.manifest(`sha-${short(commits.release)}`);
    if (moved === undefined) throw new Error("no release index");
    await registry.pushManifest(`verified-sha-${unsignedSha}`, moved.mediaType, moved.body);
    expectOk(await ws.pulumi(["config", "set", "appRevision", unsignedTag, "--stack", "production"]));
    try {
      await refusedUp(
        new RegExp(
          `will not ship ${unsignedTag}: .*carries no valid signature of staging's for this commit \\(found only a valid signature whose revision is "${commits.release}", not "${unsignedSha}"\\)`,
        ),
      );
    } finally {
      expectOk(await ws.pulumi(["config", "rm", "appRevision", "--stack", "production"]));
    }
  });

  it("refuses a release tag that no longer names the commit the workflow ran for", async () => {
    await refusedUp(
      new RegExp(`Tag ${releaseTag} names commit ${commits.release}, but the workflow ran for ${commits.older}: the tag moved`),
      {
        DELIVERY_APP_REVISION: releaseTag,
        DELIVERY_APP_REVISION_SHA: commits.older,
      },
    );
  });

  it("rolls back to an older release tag: the digest staging verified for it deploys and runs, nothing else changes", async () => {
    const before = railway.started.length;
    const older = await tagDigest(`verified-sha-${commits.older}`);
    expectOk(await ws.pulumi(["config", "set", "appRevision", olderReleaseTag, "--stack", "production"]));
    const rolledBack = await up("production");
    expectOk(rolledBack);
    expect(asReplace(rolledBack.steps)).toEqual([
      "replace command:local:Command::delivery-railway-deploy",
      "replace docker-build:index:Index::delivery-app-version-tag",
    ]);
    expect(railway.instance.image).toBe(imageOf(older ?? ""));
    expect(railway.started.length - before).toBe(1);
    expect(await served("/health")).toMatchObject({ status: 200 });
    expect(await tagDigest(olderReleaseTag)).toBe(older);
    expect(await stackOutput("production", "revision")).toBe(commits.older);
  });
});

describe("after both stacks", () => {
  it("no secret value appeared in any output, or in any form in either stack's state", async () => {
    for (const stack of ["staging", "production"] as const) {
      const exported = await ws.pulumi(["stack", "export", "--stack", stack]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain("ciphertext");
      outputs.push(exported.stdout);
    }
    const everything = outputs.join("\n");
    for (const value of [...allSentinels, ...Object.values(rotated), ...rotatedValues, kit.registryPassword])
      expect(everything).not.toContain(value);
    expect(describeLeaks(findLeaks(everything, secrets.leakValues))).toBe("");
  });

  it("destroy (production, then staging) removes every GitHub object they created, keeps the images, leaves Railway serving", async () => {
    const serving = railway.serving;
    const railwayRequests = railway.requests.length;
    const digest = await tagDigest(releaseTag);
    for (const stack of ["production", "staging"]) expectOk(await pulumi(["destroy", "--yes", "--stack", stack]));
    expect(github.violations).toEqual([]);
    expect(github.environment("staging")).toBeUndefined();
    expect(github.environment("production")).toBeUndefined();
    const left = github.leftovers();
    expect(
      left.filter((l) => !l.startsWith("actions permissions: ") && !l.startsWith("workflow permissions: ") && !l.startsWith("commit ")),
    ).toEqual([`file ${handWrittenPath} on main (deleted)`]);
    expect(left.filter((l) => l.startsWith("workflow permissions: "))).toEqual([
      "workflow permissions: read, can approve pull requests false (was write, true)",
    ]);
    expect(await tagDigest(releaseTag)).toBe(digest);
    expect(railway.requests.length).toBe(railwayRequests);
    expect(railway.serving).toEqual(serving);
  });
});
