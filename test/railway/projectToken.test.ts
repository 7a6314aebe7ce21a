// A project token (railwayTokenKind: project) against the stand-in, as Railway's docs and CLI say Railway treats one
// (docs/railway.md §10): every request the deploy sends is accepted in the token's own environment, and refused
// "Not Authorized" in any other, before anything is written.
import { afterEach, describe, expect, it } from "vitest";
import { authGuidance, RailwayAuthError, RailwayClient } from "../../src/railway/client";
import { deploy } from "../../src/railway/deploy";
import { FakeRailway, railwayDeployOptions, railwayTiming, serviceHistory, simulatedClock, type FakeRailwayOptions } from "./fakeRailway";

const token = "sentinel-project-token-5b4c";
const variables = { ANTHROPIC_API_KEY: "sentinel-anthropic-3e2d" };
const digest = `docker.io/acme/app@sha256:${"c".repeat(64)}`;

let fake: FakeRailway | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function deployWithProjectToken(options: FakeRailwayOptions): Promise<{ fake: FakeRailway; error?: unknown }> {
  const clock = simulatedClock();
  const railway = await new FakeRailway({ clock: clock.now, history: serviceHistory, tokens: { project: [token] }, ...options }).start();
  fake = railway;
  const client = new RailwayClient({
    token,
    tokenKind: "project",
    endpoint: `${railway.url}/graphql/v2`,
    timeoutMs: 2000,
    maxAttempts: 1,
    sleep: clock.sleep,
  });
  try {
    await deploy(client, railwayDeployOptions(railway, digest, variables), railwayTiming(clock), () => undefined);
    return { fake: railway };
  } catch (error) {
    return { fake: railway, error };
  }
}

const operations = (railway: FakeRailway): string[] => railway.requests.map((r) => r.operationName);

describe("a project token of the stack's environment", () => {
  it("does everything the deploy does: variables first, settings, the deploy, its polls, all as Project-Access-Token", async () => {
    const { fake: railway, error } = await deployWithProjectToken({});
    expect(error).toBeUndefined();
    expect(operations(railway)).toEqual(expect.arrayContaining(["UpsertVariables", "UpdateServiceInstance", "Deploy", "DeploymentStatus"]));
    expect(operations(railway).indexOf("UpsertVariables")).toBeLessThan(operations(railway).indexOf("Deploy"));
    expect(railway.requests.every((r) => r.projectToken === token && r.authorization === undefined && r.status === 200)).toBe(true);
    expect(railway.instance.variables).toEqual(variables);
    expect(railway.started).toEqual(["deployment-new"]);
  });

  it("rolls back with it too when the new deployment crashes", async () => {
    const { fake: railway, error } = await deployWithProjectToken({ deploymentStatuses: ["BUILDING", "CRASHED"] });
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RailwayAuthError);
    expect(operations(railway)).toContain("Rollback");
    expect(railway.rolledBackTo).toBe("deployment-good");
  });
});

describe("a project token of another environment or project", () => {
  it.each([
    ["environment", { projectId: "p-1", environmentId: "e-other" }],
    ["project", { projectId: "p-other", environmentId: "e-other" }],
  ])("of another %s: Railway refuses the first request 'Not Authorized'; nothing is written or started", async (_, scope) => {
    const { fake: railway, error } = await deployWithProjectToken({ projectTokenScope: scope });
    expect(error).toBeInstanceOf(RailwayAuthError);
    const text = error instanceof Error ? error.message : "";
    expect(text).toContain("a project token only reaches the one environment it was created for");
    expect(text).toContain("railwayEnvironmentId");
    expect(text).toContain("(Railway said: Not Authorized)");
    expect(text).not.toContain(token);
    expect(operations(railway)).toEqual(["RecentDeployments"]);
    expect(railway.instance.variables).toEqual({});
    expect(railway.started).toEqual([]);
  });

  it("the guidance names the likely cause and both fixes, and no longer calls the scope undocumented", () => {
    const text = authGuidance("Not Authorized", "project", "upsertVariables") ?? "";
    expect(text).not.toContain("does not document");
    expect(text).toContain("Railway's CLI sets variables and deploys with a project token");
    expect(text).toContain("another environment or project");
    expect(text).toContain("the environment railwayEnvironmentId names");
    expect(text).toContain("pulumi config set railwayTokenKind account --stack <stack>");
    expect(text).toContain("pulumi config set --secret railwayToken --stack <stack>");
  });
});
