// `pulumi up` on the real engine, offline, for each stack in order: create from nothing, a
// second up that changes nothing, a drift check, a secret rotation, a rollback to an exact
// digest, and destroy. GitHub is the stateful stand-in (every request checked against GitHub's
// OpenAPI description), Railway the stand-in that executes Railway's schema. Nothing is built:
// `deployImage` names the digest, as a deploy of an image built elsewhere (or a rollback) does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SecretKey } from "../../src/config";
import { FakeRailway } from "../railway/fakeRailway";
import { allSentinels, sentinel } from "../helpers/stacks";
import { readEvents } from "./events";
import { headSha, stackConfigs } from "./fixture";
import { GitHubStateStandIn } from "./githubState";
import { stateFixtureFromStacks } from "./githubStateFixture";
import { EngineWorkspace, type RunResult } from "./workspace";

const stacks = ["staging", "production"] as const;
const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;
/** What a redeploy is to the engine: the deploy command replaced, so its create runs again. */
const redeploy = ["create-replacement", "delete-replaced", "replace"].map((op) => `${op} command:local:Command::delivery-railway-deploy`);

let github: GitHubStateStandIn;
let railway: FakeRailway;
let ws: EngineWorkspace;
const image = (digest: string): string => `docker.io/${stackConfigs()[0]?.dockerhubRepository ?? ""}@${digest}`;

/**
 * Operations of one run, from the engine's own event log: `op type::name` of the
 * custom resources (components only group them), without default providers.
 */
function steps(eventLog: string): string[] {
  return readEvents(eventLog)
    .flatMap((e) => (e.resourcePreEvent === undefined ? [] : [e.resourcePreEvent.metadata]))
    .filter((m) => m.op !== "same" && m.type !== "pulumi:pulumi:Stack" && !m.type.startsWith("delivery:") && !/::default(_|$)/.test(m.urn))
    .map((m) => `${m.op} ${m.type}::${m.urn.slice(m.urn.lastIndexOf("::") + 2)}`)
    .sort();
}

let runCount = 0;
async function pulumi(args: readonly string[], input?: string): Promise<RunResult & { readonly steps: string[] }> {
  const eventLog = join(ws.dir, `events-up-${String(++runCount)}.jsonl`);
  const result = await ws.pulumi([...args, "--event-log", eventLog], input === undefined ? { timeoutMs: 300_000 } : { input, timeoutMs: 300_000 });
  return { ...result, steps: steps(eventLog) };
}

const outputs: string[] = [];
function expectOk(result: RunResult): void {
  outputs.push(result.stdout, result.stderr);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
}

beforeAll(async () => {
  github = await new GitHubStateStandIn(stateFixtureFromStacks()).start();
  railway = await new FakeRailway({ deploymentStatuses: ["BUILDING", "DEPLOYING", "SUCCESS"], tokens: { account: [sentinel("railwayToken")] } }).start();
  ws = EngineWorkspace.create(github.baseUrl, {
    RAILWAY_API_URL: `${railway.url}/graphql/v2`,
    // The service's public domain reaches the stand-in's health endpoint (see railwayEdge.cjs).
    NODE_OPTIONS: `--require ${join(__dirname, "railwayEdge.cjs")}`,
    DELIVERY_TEST_EDGE_HOSTS: stackConfigs().map((c) => c.railwayDomain).join(","),
    DELIVERY_TEST_EDGE_URL: railway.url,
    DEPLOY_POLL_START_MS: "50",
    DEPLOY_POLL_MAX_MS: "100",
    HEALTH_ATTEMPTS: "3",
    HEALTH_INTERVAL_MS: "50",
  });
  for (const stack of stacks) {
    expectOk(await ws.pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"]));
    for (const [key, value] of [["buildImageOnPreview", "false"], ["deployImage", image(digestOf("a"))], ["appRevision", headSha]] as const) {
      expectOk(await ws.pulumi(["config", "set", key, value, "--stack", stack]));
    }
    const plan = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), ["src/cli/plan.ts", "--stack", stack, "--out", join(ws.dir, "plan-out", stack)]);
    expectOk(plan);
    const listed = [...plan.stdout.matchAll(new RegExp(`pulumi config set --secret (\\w+) --stack ${stack}`, "g"))].map((m) => m[1] as SecretKey);
    for (const key of new Set([...listed, "githubToken" as const])) expectOk(await ws.pulumi(["config", "set", "--secret", key, "--stack", stack], { input: sentinel(key) }));
  }
}, 600_000);

afterAll(async () => {
  await github.stop();
  await railway.stop();
  ws.remove();
});

describe.each(stacks)("pulumi up --stack %s on the real engine", (stack) => {
  it("creates from nothing exactly what the offline plan lists, and Railway deploys the digest once", async () => {
    const before = railway.started.length;
    const up = await pulumi(["up", "--yes", "--stack", stack, "--policy-pack", join(ws.dir, "infra", "policy")]);
    expectOk(up);
    const planned = (JSON.parse(readFileSync(join(ws.dir, "plan-out", stack, "resources.json"), "utf8")) as { type: string; name: string }[]).map((r) => `${r.type}::${r.name}`).sort();
    expect(up.steps.map((s) => s.replace(/^create /, ""))).toEqual(planned.filter((r) => !r.startsWith("delivery:")));
    expect(up.steps.every((s) => s.startsWith("create "))).toBe(true);
    expect(railway.started.length - before).toBe(1);
    expect(railway.instance.image).toBe(image(digestOf("a")));
    expect(github.violations).toEqual([]);
    expect(github.unexpected).toEqual([]);
  });

  it("stored every secret sealed, decrypting to the value set with pulumi config set --secret", () => {
    const env = github.environment(stack);
    expect(env).toBeDefined();
    expect(github.decryptSecret("OPENAI_API_KEY", stack)).toBe(sentinel("openaiApiKey"));
    expect(github.decryptSecret("PULUMI_CONFIG_PASSPHRASE", stack)).toBe(sentinel("pulumiConfigPassphrase"));
  });

  it("a second up changes nothing and deploys nothing; the drift check passes", async () => {
    const before = railway.started.length;
    expectOk(await pulumi(["up", "--yes", "--stack", stack, "--expect-no-changes"]));
    expectOk(await pulumi(["preview", "--refresh", "--stack", stack, "--expect-no-changes"]));
    expect(railway.started.length).toBe(before);
    expect(github.violations).toEqual([]);
  });

  it("rotating a secret updates exactly its consumers, and Railway gets the new value", async () => {
    const rotate = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), ["src/cli/rotate.ts", "--stack", stack, "openaiApiKey"], { input: "rotated-openai-4c2e\n" });
    expectOk(rotate);
    const up = await pulumi(["up", "--yes", "--stack", stack]);
    expectOk(up);
    // A changed trigger replaces the deploy command, which runs it again (it has no delete: the
    // replaced one leaves the service alone).
    expect(up.steps, JSON.stringify(up.steps)).toEqual([
      ...redeploy,
      `update github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret::delivery-${stack}-secret-openai-api-key`,
    ]);
    expect(github.decryptSecret("OPENAI_API_KEY", stack)).toBe("rotated-openai-4c2e");
    expect(railway.instance.variables["OPENAI_API_KEY"]).toBe("rotated-openai-4c2e");
  });

  it("rolls back to an exact digest: Railway deploys it, nothing else changes", async () => {
    const before = railway.started.length;
    expectOk(await ws.pulumi(["config", "set", "deployImage", image(digestOf("b")), "--stack", stack]));
    const up = await pulumi(["up", "--yes", "--stack", stack]);
    expectOk(up);
    expect(up.steps, JSON.stringify(up.steps)).toEqual(redeploy);
    expect(railway.instance.image).toBe(image(digestOf("b")));
    expect(railway.started.length - before).toBe(1);
  });
});

describe("after both stacks", () => {
  it("no secret value appeared in any output, or in plain text in either stack's state", async () => {
    for (const stack of stacks) {
      const exported = await ws.pulumi(["stack", "export", "--stack", stack]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain("ciphertext");
      outputs.push(exported.stdout);
    }
    const everything = outputs.join("\n");
    for (const value of allSentinels) expect(everything).not.toContain(value);
    expect(everything).not.toContain("rotated-openai-4c2e");
  });

  it("destroy removes what the stacks created (production first, then the governing staging)", async () => {
    for (const stack of ["production", "staging"]) expectOk(await pulumi(["destroy", "--yes", "--stack", stack]));
    expect(github.environment("staging")).toBeUndefined();
    expect(github.environment("production")).toBeUndefined();
    expect(github.violations).toEqual([]);
    // All that remains is what the provider's delete of Actions permissions leaves: it is a partial
    // PUT, so SHA pinning and the allow-list stay as the stack set them (README: after destroy).
    const left = github.leftovers();
    expect(left.length).toBeGreaterThan(0);
    for (const line of left) expect(line).toMatch(/^actions permissions: /);
  });
});

