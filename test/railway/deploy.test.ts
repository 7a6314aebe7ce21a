// The deploy client over real HTTP against a local server that executes Railway's schema and behaves as Railway does (docs/railway.md).
import { afterEach, describe, expect, it } from "vitest";
import { authGuidance, RailwayAuthError, RailwayClient, retryAfterMs, type TokenKind } from "../../src/railway/client";
import { deploy, DeployFailedError, type DeployOptions, type DeployTiming } from "../../src/railway/deploy";
import { FakeRailway, railwayDeployOptions, railwayTiming, serviceHistory, simulatedClock, type FakeRailwayOptions } from "./fakeRailway";

const token = "sentinel-railway-token-1f2e";
const variables = { ANTHROPIC_API_KEY: "sentinel-anthropic-9a8b", OPENAI_API_KEY: "sentinel-openai-7c6d" };
const digest = `docker.io/acme/app@sha256:${"a".repeat(64)}`;
const history = serviceHistory;

let fake: FakeRailway | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

interface Run {
  readonly fake: FakeRailway;
  readonly result?: { deploymentId: string; url: string };
  readonly error?: unknown;
  readonly logs: string[];
  /** Every wait the deploy took (polls, health probes, client backoffs), in ms. */
  readonly sleeps: number[];
  readonly operations: string[];
  /** Simulated time the deploy took, in ms. */
  readonly elapsedMs: number;
}

interface RunSettings {
  readonly overrides?: Partial<DeployOptions>;
  readonly timing?: Partial<DeployTiming>;
  readonly clientTimeoutMs?: number;
  readonly tokenKind?: TokenKind;
}

async function run(fakeOptions: FakeRailwayOptions, settings: RunSettings = {}): Promise<Run> {
  const clock = simulatedClock();
  fake = await new FakeRailway({ clock: clock.now, ...fakeOptions }).start();
  const logs: string[] = [];
  const { sleeps } = clock;
  const timing = railwayTiming(clock, settings.timing);
  const client = new RailwayClient({
    token,
    tokenKind: settings.tokenKind ?? "account",
    endpoint: `${fake.url}/graphql/v2`,
    timeoutMs: settings.clientTimeoutMs ?? 2000,
    backoffMs: 100,
    maxAttempts: 3,
    sleep: clock.sleep,
    log: (l) => logs.push(l),
  });
  const options = railwayDeployOptions(fake, digest, variables, settings.overrides);
  const base = { fake, logs, sleeps };
  try {
    const result = await deploy(client, options, timing, (l) => logs.push(l));
    return { ...base, result, operations: fake.requests.map((r) => r.operationName), elapsedMs: clock.now() };
  } catch (error) {
    return { ...base, error, operations: fake.requests.map((r) => r.operationName), elapsedMs: clock.now() };
  }
}

const message = (r: Run): string => (r.error instanceof Error ? r.error.message : "");

function expectNoSecretInLogs(r: Run): void {
  const text = r.logs.join("\n") + message(r);
  for (const secret of [token, ...Object.values(variables)]) expect(text).not.toContain(secret);
}

describe("deploy", () => {
  it("succeeds: variables without a deploy, image by digest read back, one deployment, poll, health probe", async () => {
    const r = await run({ history });
    expect(r.error).toBeUndefined();
    expect(r.result).toEqual({ deploymentId: "deployment-new", url: "https://app.up.railway.app" });
    expect(r.operations).toEqual([
      "RecentDeployments",
      "UpsertVariables",
      "UpdateServiceInstance",
      "ServiceInstance",
      "Deploy",
      "DeploymentStatus",
      "DeploymentStatus",
      "DeploymentStatus",
    ]);
    const [, upsert, update] = r.fake.requests;
    expect(upsert?.variables).toEqual({
      input: { projectId: "p-1", environmentId: "e-1", serviceId: "s-1", variables, skipDeploys: true },
    });
    expect(update?.variables).toEqual({
      serviceId: "s-1",
      environmentId: "e-1",
      input: {
        source: { image: digest },
        healthcheckPath: "/health",
        healthcheckTimeout: 300,
        restartPolicyType: "ON_FAILURE",
        restartPolicyMaxRetries: 3,
        preDeployCommand: null,
      },
    });
    expect(r.fake.requests.every((q) => q.authorization === `Bearer ${token}`)).toBe(true);
    // Three 2xx in a row (healthCheckSuccesses' default), not one.
    expect(r.fake.healthRequests).toEqual(["/health", "/health", "/health"]);
    expect(r.fake.rolledBackTo).toBeUndefined();
    expect(r.fake.serving).toEqual(["deployment-new"]);
    // Poll backoff doubles from the first wait; then the health probes, at their interval.
    expect(r.sleeps).toEqual([1000, 2000, 500, 500]);
    expectNoSecretInLogs(r);
  });

  it("retries a 5xx on a query, then succeeds", async () => {
    const r = await run({ history, faults: { 0: { status: 503 } } });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.operations.slice(0, 2)).toEqual(["RecentDeployments", "RecentDeployments"]);
    expect(r.fake.requests[0]?.status).toBe(503);
    expect(r.sleeps[0]).toBe(100);
  });

  it("honours Retry-After on 429", async () => {
    const r = await run({ history, faults: { 1: { status: 429, retryAfter: "7" } } });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.operations.slice(0, 3)).toEqual(["RecentDeployments", "UpsertVariables", "UpsertVariables"]);
    expect(r.sleeps[0]).toBe(7000);
  });

  it("bounds a query that hangs, and retries it", async () => {
    // The client's timeout is a real one: 100 ms still leaves a loopback answer far more time than it takes.
    const r = await run({ history, faults: { 0: { delayMs: 1500 } } }, { clientTimeoutMs: 100 });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.logs.some((l) => l.includes("timed out after 100 ms"))).toBe(true);
  });

  it("gives up after the bounded attempts", async () => {
    const r = await run({ faults: { 0: { status: 502 }, 1: { status: 502 }, 2: { status: 502 } } });
    expect(message(r)).toBe("Railway recentDeployments failed after 3 attempts: HTTP 502");
    expect(r.operations).toEqual(["RecentDeployments", "RecentDeployments", "RecentDeployments"]);
  });

  it("refuses a mutable tag before touching Railway", async () => {
    const r = await run({ history }, { overrides: { image: "docker.io/acme/app:latest" } });
    expect(message(r)).toContain("never by a mutable tag");
    expect(r.operations).toEqual([]);
  });

  it("reports a rollback that fails too, once, without looping", async () => {
    const r = await run({ history, deploymentStatuses: ["CRASHED"], rollbackFails: true });
    const error = r.error as DeployFailedError;
    expect(error.message).toContain("the rollback to deployment deployment-good failed too");
    expect(error.message).toContain("the service may be down");
    expect(error.rolledBackTo).toBeUndefined();
    expect(r.operations.filter((o) => o === "Rollback")).toHaveLength(1);
  });

  it("says so when there is nothing to roll back to", async () => {
    const r = await run({ history: [], deploymentStatuses: ["CRASHED"] });
    expect(message(r)).toContain("there is no earlier successful deployment to roll back to");
    expect(r.operations).not.toContain("Rollback");
  });

  it("bounds network errors (nothing listening) and names them", async () => {
    const logs: string[] = [];
    const client = new RailwayClient({
      token,
      tokenKind: "account",
      endpoint: "http://127.0.0.1:9/graphql/v2",
      maxAttempts: 2,
      backoffMs: 1,
      log: (l) => logs.push(l),
    });
    await expect(client.request("deploymentStatus", { id: "x" })).rejects.toThrow(
      /Railway deploymentStatus failed after 2 attempts: network error/,
    );
    expect(logs).toHaveLength(2);
  });

  it("reports GraphQL errors without retrying them", async () => {
    fake = await new FakeRailway({ rollbackFails: true, history }).start();
    const client = new RailwayClient({ token, tokenKind: "account", endpoint: `${fake.url}/graphql/v2` });
    await expect(client.request("rollback", { id: "deployment-good" })).rejects.toThrow(
      "Railway rejected rollback: Deployment cannot be rolled back",
    );
    expect(fake.requests).toHaveLength(1);
  });
});

// 1. Railway refuses a token with HTTP 200 and an `errors` array; its CLI matches the message (src/client.rs).
describe("auth failures as Railway sends them", () => {
  it("a wrong account token: HTTP 200 'Not Authorized' fails at once with what to do", async () => {
    const r = await run({ history, tokens: { account: ["another-token"] } });
    expect(r.fake.requests[0]?.status).toBe(200);
    expect(r.error).toBeInstanceOf(RailwayAuthError);
    expect(message(r)).toContain(
      "Railway refused recentDeployments for an account or workspace token (RAILWAY_API_TOKEN, sent as Authorization: Bearer)",
    );
    expect(message(r)).toContain("pulumi config set --secret railwayToken --stack <stack>");
    expect(message(r)).toContain("(Railway said: Not Authorized)");
    expect(r.operations).toEqual(["RecentDeployments"]);
    expectNoSecretInLogs(r);
  });

  it("an unknown project token: HTTP 200 'Project Token not found' names RAILWAY_TOKEN", async () => {
    const r = await run({ history, tokens: { project: ["another-token"] } }, { tokenKind: "project" });
    expect(r.error).toBeInstanceOf(RailwayAuthError);
    expect(message(r)).toContain("Railway does not know the project token (RAILWAY_TOKEN)");
    expect(r.operations).toEqual(["RecentDeployments"]);
  });

  it("an under-scoped token: Railway refuses one mutation with 'Not Authorized'; the error says what a project token reaches", async () => {
    const r = await run({ history, notAuthorizedFor: ["serviceInstanceUpdate"] }, { tokenKind: "project" });
    expect(r.error).toBeInstanceOf(RailwayAuthError);
    expect(message(r)).toContain(
      "Railway refused updateServiceInstance for a project token (RAILWAY_TOKEN, sent as Project-Access-Token): a project token only reaches the one environment it was created for",
    );
    expect(r.operations.at(-1)).toBe("UpdateServiceInstance");
    expect(r.fake.started).toEqual([]);
  });

  it("guidance by message and token kind", () => {
    expect(authGuidance("Project Token not found", "account", "deploy")).toContain("pulumi config set railwayTokenKind project");
    expect(authGuidance("not authorized", "account", "deploy")).toContain("its account or workspace has no access to this project");
    expect(authGuidance("Two Factor Authentication Required", "account", "deploy")).toContain("two-factor");
    expect(authGuidance("Deployment not found", "account", "deploy")).toBeUndefined();
  });

  it("still fails at once on HTTP 401 and 403", async () => {
    for (const status of [401, 403]) {
      const r = await run({ faults: { 0: { status } } });
      expect(r.error).toBeInstanceOf(RailwayAuthError);
      expect(message(r)).toContain(`HTTP ${String(status)}`);
      expect(r.operations).toEqual(["RecentDeployments"]);
      await fake?.stop();
      fake = undefined;
    }
  });
});

// 2. Every status Railway has, and what it means for this deploy.
describe("deployment statuses", () => {
  it("a sleeping deployment (app sleeping on) is still the rollback target", async () => {
    const r = await run({
      history: [{ id: "deployment-asleep", status: "SLEEPING", canRollback: true }],
      deploymentStatuses: ["DEPLOYING", "SUCCESS"],
      healthStatus: 503,
    });
    expect(r.logs).toContain("rollback target: deployment deployment-asleep (SLEEPING)");
    expect((r.error as DeployFailedError).rolledBackTo).toBe("deployment-asleep");
  });

  it("a new deployment that went to sleep became active: it is probed (which wakes it), not rolled back", async () => {
    const r = await run({ history, deploymentStatuses: ["DEPLOYING", "SLEEPING"] });
    expect(r.result?.deploymentId).toBe("deployment-new");
    // Three 2xx in a row (healthCheckSuccesses' default), not one.
    expect(r.fake.healthRequests).toEqual(["/health", "/health", "/health"]);
    expect(r.operations).not.toContain("Rollback");
  });

  it("superseded (REMOVED before a verdict): never rolls back the newer deployment", async () => {
    const r = await run({ history, deploymentStatuses: ["DEPLOYING", "REMOVED"] });
    const error = r.error as DeployFailedError;
    expect(error.message).toContain(
      "deployment deployment-new was REMOVED before Railway's verdict: a newer deployment or a person replaced it",
    );
    expect(error.rolledBackTo).toBeUndefined();
    expect(r.operations).not.toContain("Rollback");
    expect(r.fake.serving).toEqual(["deployment-by-someone-else"]);
  });

  it("REMOVING is superseded too", async () => {
    const r = await run({ history, deploymentStatuses: ["REMOVING"] });
    expect(message(r)).toContain("was REMOVING before Railway's verdict");
    expect(r.operations).not.toContain("Rollback");
  });

  it("SKIPPED: nothing of it runs, nothing is rolled back", async () => {
    const r = await run({ history, deploymentStatuses: ["QUEUED", "SKIPPED"] });
    expect(message(r)).toContain("deployment deployment-new was SKIPPED by Railway");
    expect(r.operations).not.toContain("Rollback");
    expect(r.fake.serving).toEqual(["deployment-good"]);
  });

  it.each(["WAITING", "NEEDS_APPROVAL"] as const)(
    "%s (awaiting approval): stops at once, says where to approve, rolls nothing back",
    async (status) => {
      const r = await run({ history, deploymentStatuses: ["INITIALIZING", status] });
      expect(message(r)).toContain(`deployment deployment-new is ${status}: it waits for someone to approve it in Railway`);
      expect(r.operations).not.toContain("Rollback");
      // Not polled to the deadline: two polls, one wait between them.
      expect(r.operations.filter((o) => o === "DeploymentStatus")).toHaveLength(2);
      expect(r.elapsedMs).toBe(1000);
    },
  );

  it.each(["INITIALIZING", "QUEUED", "BUILDING", "DEPLOYING"] as const)("%s is not a verdict: the deploy keeps waiting", async (status) => {
    const r = await run({ history, deploymentStatuses: [status, status, "SUCCESS"] });
    expect(r.result?.deploymentId).toBe("deployment-new");
  });

  it("CRASHED after becoming active: rolls back and says so", async () => {
    const r = await run({ history, deploymentStatuses: ["BUILDING", "CRASHED"] });
    const error = r.error as DeployFailedError;
    expect(error.message).toContain(
      "deployment deployment-new became active, then CRASHED; rolled back to deployment deployment-good (deployment rollback-of-deployment-good serves it)",
    );
    expect(error.message).toContain("Railway logs: https://railway.com/project/p-1/service/s-1?environmentId=e-1");
    expect(error.rolledBackTo).toBe("deployment-good");
    expect(r.fake.rolledBackTo).toBe("deployment-good");
    expect(r.fake.healthRequests).toEqual([]);
    expectNoSecretInLogs(r);
  });
});

// 3. The deadline follows the health-check timeout (up to 3600 s), plus an allowance for the queue and the pull.
describe("deadline", () => {
  // Polls at most a minute apart (waits of 1, 2, 4, 8, 16, 32 s, then 60 s): an hour of simulated time in about 70 polls
  // rather than 470, each a real request to the stand-in. The poll cadence itself is deploySteps.test.ts's (waitForVerdict).
  const pollMaxMs = 60_000;

  it("waits out a health check longer than 15 minutes when the timeout allows it", async () => {
    const r = await run(
      {
        history,
        timeline: [
          { fromMs: 0, status: "QUEUED" },
          { fromMs: 30_000, status: "DEPLOYING" },
          { fromMs: 1_500_000, status: "SUCCESS" },
        ],
      },
      { overrides: { healthcheckTimeoutSeconds: 3600 }, timing: { pollMaxMs } },
    );
    expect(r.error).toBeUndefined();
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.elapsedMs).toBeGreaterThan(1_500_000);
    // Seen by the first poll after it happened.
    expect(r.elapsedMs).toBeLessThan(1_500_000 + pollMaxMs);
  });

  it("gives up on the health check only after its timeout plus the grace, says so, and rolls nothing back (Railway never switched)", async () => {
    const r = await run(
      {
        history,
        timeline: [
          { fromMs: 0, status: "QUEUED" },
          { fromMs: 20_000, status: "DEPLOYING" },
        ],
      },
      { overrides: { healthcheckTimeoutSeconds: 3600 }, timing: { pollMaxMs } },
    );
    expect(message(r)).toMatch(
      /deployment deployment-new was still DEPLOYING 37\d\d s after it started deploying: its health check may take 3600 s \(healthCheckTimeoutSeconds\), and Railway's verdict did not come within 120 s more/,
    );
    expect(message(r)).toContain("Railway never made it active, so deployment deployment-good still serves: nothing to roll back.");
    expect(r.operations).not.toContain("Rollback");
    // The last poll is at the deadline itself, not a poll interval before it.
    expect(r.elapsedMs).toBeGreaterThanOrEqual(20_000 + 3_720_000);
    expect(r.elapsedMs).toBeLessThan(20_000 + 3_720_000 + pollMaxMs);
    // Exactly: DEPLOYING was first seen by the poll at 31 s (after waits of 1, 2, 4, 8 and 16 s), and the budget runs from there.
    expect(r.elapsedMs).toBe(31_000 + 3_720_000);
  });

  it("names the pull allowance when the deployment never gets to DEPLOYING", async () => {
    const r = await run({ history, timeline: [{ fromMs: 0, status: "QUEUED" }] }, { timing: { pullAllowanceMs: 300_000, pollMaxMs } });
    expect(message(r)).toContain(
      "deployment deployment-new was still QUEUED after the 300 s allowed for Railway's queue, the image pull and the pre-deploy command (DEPLOY_PULL_ALLOWANCE_SECONDS)",
    );
    expect(r.elapsedMs).toBe(300_000);
    expect(r.operations).not.toContain("Rollback");
  });
});

// 4. Registry credentials: Pro plan only, and only for a private image, with a read-only pull token.
describe("registry credentials", () => {
  const pull = { username: "acmebot", password: "sentinel-pull-token-3e4f" };
  const privateImage = { repository: "docker.io/acme/app", ...pull };

  it("a public image on the Hobby plan deploys without credentials", async () => {
    const r = await run({ history, plan: "hobby" });
    expect(r.result?.deploymentId).toBe("deployment-new");
    const input = r.fake.requests.find((q) => q.operationName === "UpdateServiceInstance")?.variables["input"];
    expect(input).toBeTypeOf("object");
    expect(input).not.toHaveProperty("registryCredentials");
  });

  it("credentials on the Hobby plan: Railway refuses them; the error names the Pro plan and nothing is deployed", async () => {
    const r = await run({ history, plan: "hobby", privateImage }, { overrides: { registryCredentials: pull } });
    expect(message(r)).toContain("Railway accepts private registry credentials on the Pro plan only (not on Free, Trial or Hobby)");
    expect(message(r)).toContain("Nothing was deployed.");
    expect(r.fake.started).toEqual([]);
    expect(message(r)).not.toContain(pull.password);
  });

  it("a private image on the Pro plan with the pull token deploys", async () => {
    const r = await run({ history, plan: "pro", privateImage }, { overrides: { registryCredentials: pull } });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.fake.instance.registryCredentials).toEqual(pull);
  });

  it("a private image without credentials fails its pull: Railway keeps the old deployment, nothing is rolled back", async () => {
    const r = await run({ history, plan: "pro", privateImage });
    expect(message(r)).toContain("deployment deployment-new ended FAILED (its image pull, pre-deploy command or health check failed)");
    expect(r.operations).not.toContain("Rollback");
  });
});

// 6. Starting a deployment is never blindly retried: an answer lost after Railway acted must not start a second one.
describe("idempotence", () => {
  it("a deploy answered with a 502 after Railway started it: follows that deployment, starts no second", async () => {
    const r = await run({ history, operationFaults: { Deploy: [{ status: 502, afterProcessing: true }] } });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.fake.started).toEqual(["deployment-new"]);
    expect(r.operations.filter((o) => o === "Deploy")).toHaveLength(1);
    expect(r.logs.some((l) => l.includes("Railway had started deployment deployment-new for the deploy: following it"))).toBe(true);
  });

  it("a deploy whose answer never came after Railway started it: follows it, starts no second", async () => {
    const r = await run({ history, operationFaults: { Deploy: [{ delayMs: 1500, afterProcessing: true }] } }, { clientTimeoutMs: 100 });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.fake.started).toEqual(["deployment-new"]);
  });

  it("a deploy refused with a 502 before Railway acted: looks, finds nothing, sends it once more", async () => {
    const r = await run({ history, operationFaults: { Deploy: [{ status: 502 }] } });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.operations.filter((o) => o === "Deploy")).toHaveLength(2);
    expect(r.fake.started).toEqual(["deployment-new"]);
  });

  it("a rollback answered with a 502 after Railway started it is not sent twice", async () => {
    const r = await run({
      history,
      deploymentStatuses: ["CRASHED"],
      operationFaults: { Rollback: [{ status: 502, afterProcessing: true }] },
    });
    expect(r.fake.requests.find((q) => q.operationName === "Rollback")?.status).toBe(502);
    expect((r.error as DeployFailedError).rolledBackTo).toBe("deployment-good");
    expect(r.operations.filter((o) => o === "Rollback")).toHaveLength(1);
  });

  it("sending a setting twice is safe, so a 5xx on it is retried", async () => {
    const r = await run({ history, operationFaults: { UpdateServiceInstance: [{ status: 502, afterProcessing: true }] } });
    expect(r.operations.filter((o) => o === "UpdateServiceInstance")).toHaveLength(2);
    expect(r.result?.deploymentId).toBe("deployment-new");
  });
});

// 7. Railway never switches traffic to a deployment that fails its health check: roll back only one that became active.
describe("rollback only after the failed deployment became active", () => {
  it("FAILED (health check never passed): the old deployment still serves, nothing is rolled back", async () => {
    const r = await run({ history, deploymentStatuses: ["DEPLOYING", "FAILED"] });
    const error = r.error as DeployFailedError;
    expect(error.message).toContain("deployment deployment-new ended FAILED");
    expect(error.message).toContain("Railway never made it active, so deployment deployment-good still serves: nothing to roll back.");
    expect(error.rolledBackTo).toBeUndefined();
    expect(r.operations).not.toContain("Rollback");
    expect(r.fake.serving).toEqual(["deployment-good"]);
  });

  it("active but unhealthy at the public URL: rolls back", async () => {
    const r = await run({ history, healthStatus: 503 });
    expect(message(r)).toMatch(/health answered HTTP 503 after 3 attempts; rolled back to deployment deployment-good/);
    expect(r.fake.healthRequests).toHaveLength(3);
    expect(r.fake.rolledBackTo).toBe("deployment-good");
    expect(r.fake.serving).toEqual(["rollback-of-deployment-good"]);
  });

  it("reads canRollback after the failure: a target Railway no longer retains is not attempted", async () => {
    const r = await run({ history, deploymentStatuses: ["CRASHED"], retentionExpires: ["deployment-good"] });
    expect(message(r)).toContain("deployment deployment-good cannot be rolled back to (Railway says canRollback: false)");
    expect(r.operations).not.toContain("Rollback");
  });

  it("a target that could not be rolled back to before the deploy is not attempted", async () => {
    const r = await run({ history: [{ id: "deployment-old", status: "SUCCESS", canRollback: false }], deploymentStatuses: ["CRASHED"] });
    expect(message(r)).toContain("deployment deployment-old cannot be rolled back to (Railway says canRollback: false)");
    expect(r.operations).not.toContain("Rollback");
  });
});

// 8. How the image is set: serviceInstanceUpdate (settings only), read back, then one serviceInstanceDeployV2.
describe("image update and deploy sequence", () => {
  it("the update starts no deployment; the deploy starts exactly one, of the digest", async () => {
    const r = await run({ history });
    expect(r.operations).not.toContain("EnvironmentPatchCommit");
    expect(r.fake.started).toEqual(["deployment-new"]);
    expect(r.fake.deployments.find((d) => d.id === "deployment-new")?.image).toBe(digest);
    expect(r.operations.indexOf("ServiceInstance")).toBeLessThan(r.operations.indexOf("Deploy"));
  });

  it("refuses to deploy when Railway stored another image reference than the digest it was sent", async () => {
    const r = await run({ history, storesImageAs: "docker.io/acme/app:latest" });
    expect(message(r)).toContain(
      `Railway stored the service image as docker.io/acme/app:latest instead of ${digest}; nothing was deployed.`,
    );
    expect(r.operations).not.toContain("Deploy");
    expect(r.fake.started).toEqual([]);
  });
});

// 9. The pre-deploy command is Railway's own: it runs in the service's network with its variables, before the deployment starts.
describe("pre-deploy command", () => {
  it("is set on the service instance, not run here", async () => {
    const r = await run({ history }, { overrides: { preDeployCommand: "python -m app.migrate" } });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.fake.instance.preDeployCommand).toEqual(["python -m app.migrate"]);
  });

  it("its failure in Railway fails the deployment; the old one keeps serving and nothing is rolled back", async () => {
    const r = await run({ history, preDeployFails: true }, { overrides: { preDeployCommand: "./scripts/backup-db.sh" } });
    expect(message(r)).toContain("ended FAILED (its image pull, pre-deploy command or health check failed)");
    expect(message(r)).toContain("deployment-good still serves");
    expect(r.operations).not.toContain("Rollback");
  });

  it("unset, it clears a command set earlier", async () => {
    const r = await run({ history });
    expect(r.fake.instance.preDeployCommand).toBeNull();
  });
});

describe("sends a project token in its own header", () => {
  it("Project-Access-Token, no Authorization", async () => {
    fake = await new FakeRailway({ history }).start();
    const client = new RailwayClient({ token, tokenKind: "project", endpoint: `${fake.url}/graphql/v2` });
    await client.request("deploymentStatus", { id: "deployment-good" });
    expect(fake.requests[0]).toMatchObject({ projectToken: token, authorization: undefined });
  });
});

describe("retryAfterMs", () => {
  it("reads seconds and HTTP dates, caps at a minute, falls back when absent", () => {
    expect(retryAfterMs("3", 10)).toBe(3000);
    expect(retryAfterMs(null, 10)).toBe(10);
    expect(retryAfterMs("99999", 10)).toBe(60_000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString(), 10)).toBeGreaterThan(3000);
    expect(retryAfterMs("soon", 10)).toBe(10);
  });
});

// Issue 23: what the real world does to a deploy (docs/railway.md, "Rollbacks, flapping and deadlines").
describe("flapping health, deadlines and rollbacks", () => {
  it("one 2xx is not healthy: a flapping app (200, 500, 200, ...) is refused and rolled back", async () => {
    const r = await run({ history, healthSequence: [200, 500] });
    expect(message(r)).toMatch(
      /health answered 2xx at most 1 time in a row, then HTTP 500 \(3 in a row are needed, healthCheckSuccesses\): the app is flapping; rolled back to deployment deployment-good/,
    );
    expect(r.fake.rolledBackTo).toBe("deployment-good");
    expectNoSecretInLogs(r);
  });

  it("an app that comes up late and stays up passes: its attempts to come up, then the run of successes", async () => {
    const r = await run({ history, healthSequence: [503, 503, 200, 200, 200] });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.fake.healthRequests).toHaveLength(5);
  });

  it("a deployment still on its way when the budget ends is cancelled (deploymentCancel), not abandoned", async () => {
    const r = await run({ history, deploymentStatuses: ["DEPLOYING"] }, { overrides: { healthcheckTimeoutSeconds: 60 } });
    expect(message(r)).toMatch(
      /deployment deployment-new was still DEPLOYING \d+ s after it started deploying.*; it was cancelled \(deploymentCancel\); Railway never made it active, so deployment deployment-good still serves/,
    );
    expect(r.fake.cancelled).toEqual(["deployment-new"]);
    expect(r.operations).not.toContain("Rollback");
    expect(r.fake.serving).toEqual(["deployment-good"]);
  });

  it("a rollback puts the stack's current variables back: Railway's restores the target's (a revoked key)", async () => {
    const revoked = { ANTHROPIC_API_KEY: "revoked-anthropic-0001", OPENAI_API_KEY: "revoked-openai-0002" };
    const r = await run({
      history: [{ id: "deployment-good", status: "SUCCESS", canRollback: true, variables: revoked }],
      deploymentStatuses: ["BUILDING", "CRASHED"],
    });
    expect(message(r)).toContain("the service's variables are the stack's current values again");
    expect(r.fake.rolledBackTo).toBe("deployment-good");
    expect(r.fake.instance.variables).toEqual(variables);
    // The re-upsert starts no deployment of its own.
    expect(r.fake.started).toEqual(["deployment-new"]);
    expect(r.operations.slice(-1)).toEqual(["UpsertVariables"]);
  });

  it("a rollback is reported only once Railway serves it: one whose deployment fails is reported as such", async () => {
    const r = await run({ history, deploymentStatuses: ["BUILDING", "CRASHED"], rollbackEnds: "FAILED" });
    const error = r.error as DeployFailedError;
    expect(error.message).toContain(
      "the rollback to deployment deployment-good was sent, but its deployment rollback-of-deployment-good ended FAILED: the service may be down",
    );
    expect(error.rolledBackTo).toBeUndefined();
  });

  it("a deployment a killed pulumi up left on its way is cancelled before this deploy starts its own; then one deployment goes live", async () => {
    const r = await run({ history: [{ id: "deployment-interrupted", status: "DEPLOYING", canRollback: false }, ...history] });
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.fake.cancelled).toEqual(["deployment-interrupted"]);
    expect(r.fake.started).toEqual(["deployment-new"]);
    expect(r.operations.slice(0, 3)).toEqual(["RecentDeployments", "Cancel", "UpsertVariables"]);
    expect(r.logs.join("\n")).toContain(
      "deployment deployment-interrupted was still DEPLOYING when this deploy started (a deploy that did not finish, such as a killed pulumi up, started it): cancelling it",
    );
  });

  it("one that cannot be cancelled stops the deploy before anything is changed", async () => {
    const r = await run({
      history: [{ id: "deployment-interrupted", status: "BUILDING", canRollback: false }, ...history],
      notAuthorizedFor: ["deploymentCancel"],
    });
    expect(message(r)).toMatch(
      /^deployment deployment-interrupted was still BUILDING from a deploy that did not finish, and cancelling it failed \(.*\): cancel it in Railway before it goes live; nothing was deployed\./,
    );
    expect(r.operations).toEqual(["RecentDeployments", "Cancel"]);
  });
});
