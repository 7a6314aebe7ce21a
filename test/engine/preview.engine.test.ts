// The program on the real Pulumi engine (CLI, Node.js language host, provider
// plugins), offline: a file backend, the passphrase secrets provider, a
// loopback GitHub API, the CrossGuard pack. What the mock runtime cannot show.
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectName, secretKeys, type SecretKey } from "../../src/config";
import { describeLeaks, findLeaks, type LeakValue } from "../helpers/leakValues";
import { engineSecrets } from "./leakClasses";
import { policies } from "../../infra/policy/policies";
import { policyNames } from "../../src/policies/packConfig";
import { allSentinels, fixtureSigningPublicKey, projectDir, sentinel } from "../helpers/stacks";
import { readEvents, type EngineEvent, wouldCreate } from "./events";
import { releaseSha, stackConfigs } from "./fixture";
import { GitHubStateStandIn } from "./githubState";
import { stateFixtureFromStacks } from "./githubStateFixture";
import { DockerPingStandIn, RegistryStandIn } from "./registry";
import { signAsStaging } from "./signatures";
import { EngineWorkspace, type RunResult } from "./workspace";

const stacks = ["staging", "production"] as const;
type Stack = (typeof stacks)[number];

interface StackRun {
  readonly plan: RunResult;
  readonly planResources: readonly { readonly type: string; readonly name: string }[];
  readonly secretsSet: readonly SecretKey[];
  readonly preview: RunResult;
  readonly events: readonly EngineEvent[];
}

let github: GitHubStateStandIn;
let registry: RegistryStandIn;
let dockerPing: DockerPingStandIn;
let ws: EngineWorkspace;
const runs = {} as Record<Stack, StackRun>;
/** The class values set as secrets, both stacks'. */
const leakValues: LeakValue[] = [];

/** Secrets the plan says to set: its `pulumi config set --secret <key> --stack <stack>` lines. */
function listedSecrets(planOutput: string, stack: string): SecretKey[] {
  const pattern = new RegExp(`pulumi config set --secret (\\w+) --stack ${stack}`, "g");
  return [...planOutput.matchAll(pattern)].map((m) => m[1] as SecretKey);
}

/** A new stack with the run's settings; both stacks are prepared before either is checked, as they must agree. */
async function initStack(stack: Stack): Promise<void> {
  const init = await ws.pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"]);
  expect(init.code, init.stderr).toBe(0);
  // No Docker daemon here: the preview must not build the image. The registry is the loopback stand-in.
  for (const [key, value] of [
    ["buildImageOnPreview", "false"],
    ["registry", registry.host],
  ] as const) {
    const set = await ws.pulumi(["config", "set", key, value, "--stack", stack]);
    expect(set.code, set.stderr).toBe(0);
  }
  // The tests' own signing key pair: staging's key must match the public key both stacks name.
  const key = await ws.pulumi(["config", "set", "imageSigningPublicKey", "--stack", stack], { input: fixtureSigningPublicKey });
  expect(key.code, key.stderr).toBe(0);
}

/** The offline plan, the secrets it lists, and the engine's preview of a prepared stack. */
async function planAndPreview(stack: Stack): Promise<StackRun> {
  const planDir = join(ws.dir, "plan-out", stack);
  const plan = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), ["tools/cli/plan.ts", "--stack", stack, "--out", planDir]);
  expect(plan.code, plan.stderr).toBe(0);
  const planResources = JSON.parse(readFileSync(join(planDir, "resources.json"), "utf8")) as { type: string; name: string }[];

  // What the plan lists, and the provider's token, which a real user sets too.
  const secretsSet = [...new Set([...listedSecrets(plan.stdout, stack), "githubToken" as const])];
  const secrets = engineSecrets(secretKeys, stack === "staging" ? 0 : 3);
  leakValues.push(...secrets.leakValues.filter((v) => secretsSet.includes(v.key as SecretKey)));
  for (const key of secretsSet) {
    const set = await ws.pulumi(["config", "set", "--secret", key, "--stack", stack], { input: secrets.value(key) });
    expect(set.code, set.stderr).toBe(0);
  }

  const eventLog = join(ws.dir, `events-${stack}.jsonl`);
  const preview = await ws.pulumi(["preview", "--stack", stack, "--policy-pack", join(ws.dir, "infra", "policy"), "--event-log", eventLog]);
  return { plan, planResources, secretsSet, preview, events: readEvents(eventLog) };
}

beforeAll(async () => {
  github = await new GitHubStateStandIn(stateFixtureFromStacks()).start();
  // Staging verified the latest release's commit: production finds it in the registry.
  const [staging] = stackConfigs();
  if (staging === undefined) throw new Error("no staging stack");
  const login = { username: staging.dockerhubUsername, password: sentinel("dockerhubToken") };
  registry = await new RegistryStandIn(
    [{ repository: staging.dockerhubRepository, tag: `verified-sha-${releaseSha}`, platforms: staging.platforms }],
    login,
  ).start();
  // ...and signed it: production's preview verifies the signature before it promotes.
  await signAsStaging(registry, login, {
    repository: staging.dockerhubRepository,
    tag: `verified-sha-${releaseSha}`,
    sha: releaseSha,
    appRepository: staging.repository,
  });
  // The docker plugin pings a daemon when configured, even for registry reads (pulumi-docker#1106).
  dockerPing = await new DockerPingStandIn().start();
  ws = EngineWorkspace.create(github.baseUrl, { SSL_CERT_FILE: registry.certFile, HOME: dockerPing.home });
  // One stack after the other: the engine and the language host use both cores.
  for (const stack of stacks) await initStack(stack);
  for (const stack of stacks) runs[stack] = await planAndPreview(stack);
}, 600_000);

afterAll(async () => {
  await github.stop();
  await registry.stop();
  await dockerPing.stop();
  ws.remove();
});

describe.each(stacks)("pulumi preview --stack %s on the real engine", (stack) => {
  it("succeeds with every secret set and the policy pack", () => {
    const { preview } = runs[stack];
    expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0);
  });

  it("would create exactly the resources the offline plan lists", () => {
    const { planResources, events } = runs[stack];
    const planned = planResources.map((r) => `${r.type}::${r.name}`).sort();
    expect(wouldCreate(events)).toEqual(planned);
    expect(planned.length).toBeGreaterThan(20);
  });

  it("ran every policy of the pack, and none found a violation but the advisory on secrets with no rotation date", () => {
    const { events, preview, secretsSet } = runs[stack];
    const passed = new Set<string>();
    const failed: string[] = [];
    for (const e of events) {
      const summary = e.policyAnalyzeSummaryEvent ?? e.policyAnalyzeStackSummaryEvent;
      for (const name of summary?.passed ?? []) passed.add(name);
      failed.push(...(summary?.failed ?? []));
    }
    const violations = events.flatMap((e) =>
      e.policyEvent === undefined ? [] : [`${e.policyEvent.enforcementLevel} ${e.policyEvent.policyName}: ${e.policyEvent.message}`],
    );
    // Secrets set with pulumi config set --secret (not npm run rotate) have no recorded date: each is told, advisory.
    const undated = new RegExp(`^advisory ${policyNames.secretAge}: [\\s\\S]*?(\\w+): no rotation date recorded`);
    expect(violations.filter((v) => !undated.test(v))).toEqual([]);
    const told = violations.flatMap((v) => undated.exec(v)?.[1] ?? []);
    // Every secret set is one the stack reads, and none has a date: each is told once (under the mocks too).
    expect([...told].sort()).toEqual([...secretsSet].sort());
    expect(failed).toEqual([policyNames.secretAge]);
    // A resource policy has something to check where the stack declares a resource of a type it checks.
    const types = new Set(wouldCreate(events).map((r) => r.slice(0, r.indexOf("::"))));
    const applicable = policies.filter((p) => !("checkedTypes" in p) || p.checkedTypes.some((t) => types.has(t))).map((p) => p.name);
    expect(applicable.length).toBeGreaterThanOrEqual(stack === "staging" ? policies.length : 4);
    expect([...passed, ...failed].sort()).toEqual(expect.arrayContaining(applicable));
    expect(`${preview.stdout}${preview.stderr}`).not.toMatch(/can't run policy/);
  });

  it("prints no secret value, in the plan, the preview or the engine's events", () => {
    const { plan, preview, events } = runs[stack];
    const everything = [plan.stdout, plan.stderr, preview.stdout, preview.stderr, JSON.stringify(events), ws.readStackFile(stack)].join(
      "\n",
    );
    for (const value of allSentinels) expect(everything).not.toContain(value);
    // The review's hard classes (shell, newlines, quotes, unicode, a 4 KB PEM, JSON), in every form.
    expect(leakValues.length).toBeGreaterThan(5);
    expect(describeLeaks(findLeaks(everything, leakValues))).toBe("");
  });

  it("stores every secret it set encrypted in the stack file", () => {
    const config = (parse(ws.readStackFile(stack)) as { config: Record<string, unknown> }).config;
    for (const key of runs[stack].secretsSet)
      expect(config[`${projectName}:${key}`], key).toEqual({ secure: expect.stringMatching(/^v1:/) as unknown });
  });
});

describe("the GitHub API the previews talked to", () => {
  it("was asked only what the stand-in models, as GitHub's OpenAPI description allows, with the token set as a secret", () => {
    expect(github.unexpected).toEqual([]);
    expect(github.violations).toEqual([]);
    expect(github.calls.length).toBeGreaterThan(0);
    for (const call of github.calls) expect(call.authorization).toBe(`Bearer ${sentinel("githubToken")}`);
  });
});

describe("production's promotion on the real engine", () => {
  it("found staging's verified digest in the registry with the docker provider, for every platform, and no stack reference", () => {
    const [staging] = stackConfigs();
    const path = `/v2/${staging?.dockerhubRepository ?? ""}/manifests/verified-sha-${releaseSha}`;
    expect(registry.calls.filter((c) => c.path === path && c.status === 200).map((c) => c.method)).toEqual(
      expect.arrayContaining(["HEAD", "GET"]),
    );
    const creates = wouldCreate(runs.production.events);
    expect(creates.filter((r) => r.startsWith("docker-build:index:Image::"))).toEqual([]);
    expect(creates).toContain("docker-build:index:Index::delivery-app-version-tag");
    expect(creates.some((r) => r.startsWith("pulumi:pulumi:StackReference"))).toBe(false);
  });
});

describe("bad config on the real CLI", () => {
  it("gets the program's report naming every wrong value, not the CLI's first", async () => {
    const original = ws.readStackFile("staging");
    const broken = original
      .replace(/^(\s*delivery-pipeline:coverageMinimum:).*$/m, "$1 eighty")
      .replace(/^(\s*delivery-pipeline:repository:).*$/m, "$1 acme/bad repo");
    expect(broken).not.toBe(original);
    ws.writeStackFile("staging", broken);
    try {
      const preview = await ws.pulumi(["preview", "--stack", "staging"]);
      const output = `${preview.stdout}\n${preview.stderr}`;
      expect(preview.code).not.toBe(0);
      expect(output).toMatch(/coverageMinimum[^\n]*eighty/);
      expect(output).toMatch(/repository[^\n]*acme\/bad repo/);
      expect(output).toContain("pulumi config set coverageMinimum");
      expect(output).not.toMatch(/must be of type/);
    } finally {
      ws.writeStackFile("staging", original);
    }
  }, 180_000);
});

describe("npm run rotate on the real CLI", () => {
  it("changes only the rotated key's ciphertext and its date, never passes the value as an argument, and previews", async () => {
    const key: SecretKey = "openaiApiKey";
    const newValue = "rotated-openai-value-5d1e";
    const before = parse(ws.readStackFile("staging")) as { config: Record<string, unknown> };
    const rotate = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), ["tools/cli/rotate.ts", "--stack", "staging", key], {
      input: `${newValue}\n`,
    });
    expect(rotate.code, `${rotate.stdout}\n${rotate.stderr}`).toBe(0);
    const after = parse(ws.readStackFile("staging")) as { config: Record<string, unknown> };

    const changed = Object.keys({ ...before.config, ...after.config }).filter(
      (k) => JSON.stringify(before.config[k]) !== JSON.stringify(after.config[k]),
    );
    expect(changed.sort()).toEqual([`${projectName}:${key}`, `${projectName}:secretRotatedAt`]);
    expect(after.config[`${projectName}:secretRotatedAt`]).toEqual({ [key]: new Date().toISOString().slice(0, 10) });
    for (const argv of ws.pulumiArgvs()) expect(argv.join(" ")).not.toContain(newValue);
    expect(`${rotate.stdout}${rotate.stderr}${ws.readStackFile("staging")}`).not.toContain(newValue);
    // Its own preview ran on the engine (its exit code is rotate's) and shows the secret's consumer;
    // nothing exists yet, so that is a create here: the update after a real `up` is the up suite's.
    expect(rotate.stdout).toContain("Previewing update (staging)");
    expect(rotate.stdout).toMatch(
      /\+ +github:index\/actionsEnvironmentSecret:ActionsEnvironmentSecret: \(create\)\n +\[urn=[^\]]*delivery-staging-secret-openai-api-key\]/,
    );
    expect(rotate.stderr).toContain("Apply it with: pulumi up --stack staging");
  }, 300_000);
});

describe("the program installed as a deploy job installs it", () => {
  // Last in this file: it replaces the workspace's linked node_modules with a deploy job's install.
  it("runs without dev dependencies or install scripts (npm ci --omit=dev --ignore-scripts): production's preview, signature check included", async () => {
    rmSync(join(ws.dir, "node_modules"));
    copyFileSync(join(projectDir, "package-lock.json"), join(ws.dir, "package-lock.json"));
    // Offline from the caller's npm cache, which `npm ci` of the project filled: the workspace's HOME is its own.
    const install = await ws.run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--offline", "--no-audit", "--no-fund"], {
      timeoutMs: 300_000,
      env: { npm_config_cache: join(homedir(), ".npm") },
    });
    expect(install.code, install.stderr).toBe(0);
    for (const dev of ["vitest", "oxlint", "@octokit/openapi"]) expect(existsSync(join(ws.dir, "node_modules", dev)), dev).toBe(false);
    const preview = await ws.pulumi(["preview", "--stack", "production", "--policy-pack", join(ws.dir, "infra", "policy")]);
    expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0);
  }, 600_000);
});
