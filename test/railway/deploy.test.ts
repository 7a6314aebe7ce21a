// The deploy client over real HTTP against a local server that executes Railway's schema, with injected faults.
import { afterEach, describe, expect, it } from "vitest";
import { RailwayAuthError, RailwayClient, retryAfterMs } from "../../src/railway/client";
import { deploy, DeployFailedError, type DeployOptions, type DeployTiming } from "../../src/railway/deploy";
import { FakeRailway, type FakeRailwayOptions } from "./fakeRailway";

const token = "sentinel-railway-token-1f2e";
const variables = { ANTHROPIC_API_KEY: "sentinel-anthropic-9a8b", OPENAI_API_KEY: "sentinel-openai-7c6d" };
const digest = `docker.io/acme/app@sha256:${"a".repeat(64)}`;
const history = [
  { id: "deployment-failed-earlier", status: "FAILED", canRollback: false },
  { id: "deployment-good", status: "SUCCESS", canRollback: true },
];

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
  readonly sleeps: number[];
  readonly operations: string[];
}

async function run(fakeOptions: FakeRailwayOptions, overrides: Partial<DeployOptions> = {}, clientTimeoutMs = 2000): Promise<Run> {
  fake = await new FakeRailway(fakeOptions).start();
  const logs: string[] = [];
  const sleeps: number[] = [];
  const fakeSleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  let clock = 0;
  const timing: DeployTiming = {
    deployTimeoutMs: 60_000,
    pollStartMs: 1000,
    pollMaxMs: 8000,
    healthAttempts: 3,
    healthIntervalMs: 500,
    healthRequestTimeoutMs: 2000,
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return fakeSleep(ms);
    },
  };
  const client = new RailwayClient({ token, tokenKind: "account", endpoint: `${fake.url}/graphql/v2`, timeoutMs: clientTimeoutMs, backoffMs: 100, maxAttempts: 3, sleep: fakeSleep, log: (l) => logs.push(l) });
  const options: DeployOptions = {
    projectId: "p-1",
    environmentId: "e-1",
    serviceId: "s-1",
    image: digest,
    healthcheckPath: "/health",
    healthcheckTimeoutSeconds: 300,
    healthUrl: `${fake.url}/health`,
    variables,
    ...overrides,
  };
  const base = { fake, logs, sleeps, operations: [] as string[] };
  try {
    const result = await deploy(client, options, timing, (l) => logs.push(l));
    return { ...base, result, operations: fake.requests.map((r) => r.operationName) };
  } catch (error) {
    return { ...base, error, operations: fake.requests.map((r) => r.operationName) };
  }
}

function expectNoSecretInLogs(r: Run): void {
  const text = r.logs.join("\n") + (r.error instanceof Error ? r.error.message : "");
  for (const secret of [token, ...Object.values(variables)]) expect(text).not.toContain(secret);
}

describe("deploy", () => {
  it("succeeds: variables without a deploy, image by digest with health check, deploy, poll, health probe", async () => {
    const r = await run({ history });
    expect(r.error).toBeUndefined();
    expect(r.result).toEqual({ deploymentId: "deployment-new", url: "https://app.up.railway.app" });
    expect(r.operations).toEqual(["RecentDeployments", "UpsertVariables", "UpdateServiceInstance", "Deploy", "DeploymentStatus", "DeploymentStatus", "DeploymentStatus"]);
    const [, upsert, update] = r.fake.requests;
    expect(upsert?.variables).toEqual({ input: { projectId: "p-1", environmentId: "e-1", serviceId: "s-1", variables, skipDeploys: true } });
    expect(update?.variables).toEqual({
      serviceId: "s-1",
      environmentId: "e-1",
      input: { source: { image: digest }, healthcheckPath: "/health", healthcheckTimeout: 300, restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 3 },
    });
    expect(r.fake.requests.every((q) => q.authorization === `Bearer ${token}`)).toBe(true);
    expect(r.fake.healthRequests).toEqual(["/health"]);
    expect(r.fake.state.rolledBackTo).toBeUndefined();
    // Poll backoff doubles from the first wait.
    expect(r.sleeps).toEqual([1000, 2000]);
    expectNoSecretInLogs(r);
  });

  it("retries a 5xx, then succeeds", async () => {
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

  it("bounds a request that hangs, and retries it", async () => {
    const r = await run({ history, faults: { 0: { delayMs: 1500 } } }, {}, 200);
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(r.logs.some((l) => l.includes("timed out after 200 ms"))).toBe(true);
  });

  it("gives up after the bounded attempts", async () => {
    const r = await run({ faults: { 0: { status: 502 }, 1: { status: 502 }, 2: { status: 502 } } });
    expect(r.error).toBeInstanceOf(Error);
    expect((r.error as Error).message).toBe("Railway recentDeployments failed after 3 attempts: HTTP 502");
    expect(r.operations).toEqual(["RecentDeployments", "RecentDeployments", "RecentDeployments"]);
  });

  it.each(["FAILED", "CRASHED"])("rolls back when the deployment ends %s, and fails saying so", async (status) => {
    const r = await run({ history, deploymentStatuses: ["BUILDING", status] });
    expect(r.error).toBeInstanceOf(DeployFailedError);
    const error = r.error as DeployFailedError;
    expect(error.message).toContain(`deployment deployment-new ended ${status}; rolled back to deployment deployment-good.`);
    expect(error.message).toContain("Railway logs: https://railway.com/project/p-1/service/s-1?environmentId=e-1");
    expect(error.rolledBackTo).toBe("deployment-good");
    expect(r.operations.at(-1)).toBe("Rollback");
    expect(r.fake.requests.at(-1)?.variables).toEqual({ id: "deployment-good" });
    expect(r.fake.healthRequests).toEqual([]);
    expectNoSecretInLogs(r);
  });

  it("rolls back when Railway says SUCCESS but the health URL fails", async () => {
    const r = await run({ history, healthStatus: 503 });
    expect((r.error as DeployFailedError).message).toMatch(/health answered HTTP 503 after 3 attempts; rolled back to deployment deployment-good/);
    expect(r.fake.healthRequests).toHaveLength(3);
    expect(r.fake.state.rolledBackTo).toBe("deployment-good");
  });

  it("rolls back when the deployment never reaches a terminal status", async () => {
    const r = await run({ history, deploymentStatuses: ["BUILDING"] });
    expect((r.error as DeployFailedError).message).toMatch(/was still BUILDING after 60 s; rolled back/);
  });

  it("reports a rollback that fails too, once, without looping", async () => {
    const r = await run({ history, deploymentStatuses: ["FAILED"], rollbackFails: true });
    const error = r.error as DeployFailedError;
    expect(error.message).toContain("the rollback to deployment deployment-good failed too");
    expect(error.message).toContain("the service may be down");
    expect(error.rolledBackTo).toBeUndefined();
    expect(r.operations.filter((o) => o === "Rollback")).toHaveLength(1);
  });

  it("says so when there is nothing to roll back to", async () => {
    const r = await run({ history: [], deploymentStatuses: ["CRASHED"] });
    expect((r.error as DeployFailedError).message).toContain("there is no earlier successful deployment to roll back to");
    expect(r.operations).not.toContain("Rollback");
  });

  it("fails at once on 401 with a message about the token's scope", async () => {
    const r = await run({ faults: { 0: { status: 401 } } });
    expect(r.error).toBeInstanceOf(RailwayAuthError);
    expect((r.error as Error).message).toContain("account or workspace token");
    expect(r.operations).toEqual(["RecentDeployments"]);
    expectNoSecretInLogs(r);
  });

  it("refuses a mutable tag before touching Railway", async () => {
    const r = await run({ history }, { image: "docker.io/acme/app:latest" });
    expect((r.error as Error).message).toContain("never by a mutable tag");
    expect(r.operations).toEqual([]);
  });

  it("stops before any change when the pre-deploy command fails", async () => {
    const r = await run({ history }, { preDeploy: () => Promise.reject(new Error("backup failed")) });
    expect((r.error as Error).message).toBe("pre-deploy command failed, nothing was deployed: backup failed");
    expect(r.operations).toEqual([]);
  });

  it("says so when the rollback target cannot be rolled back to", async () => {
    const r = await run({ history: [{ id: "deployment-old", status: "SUCCESS", canRollback: false }], deploymentStatuses: ["FAILED"] });
    expect((r.error as DeployFailedError).message).toContain("deployment deployment-old cannot be rolled back to (Railway says canRollback: false)");
    expect(r.operations).not.toContain("Rollback");
  });

  it("bounds network errors (nothing listening) and names them", async () => {
    const logs: string[] = [];
    const client = new RailwayClient({ token, tokenKind: "account", endpoint: "http://127.0.0.1:9/graphql/v2", maxAttempts: 2, backoffMs: 1, log: (l) => logs.push(l) });
    await expect(client.request("rollback", { id: "x" })).rejects.toThrow(/Railway rollback failed after 2 attempts: network error/);
    expect(logs).toHaveLength(2);
  });

  it("reports GraphQL errors without retrying them", async () => {
    fake = await new FakeRailway({ rollbackFails: true }).start();
    const client = new RailwayClient({ token, tokenKind: "account", endpoint: `${fake.url}/graphql/v2` });
    await expect(client.request("rollback", { id: "x" })).rejects.toThrow("Railway rejected rollback: Deployment cannot be rolled back");
    expect(fake.requests).toHaveLength(1);
  });

  it("sends a project token in its own header", async () => {
    fake = await new FakeRailway({ history }).start();
    const client = new RailwayClient({ token, tokenKind: "project", endpoint: `${fake.url}/graphql/v2` });
    await client.request("rollback", { id: "x" });
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
